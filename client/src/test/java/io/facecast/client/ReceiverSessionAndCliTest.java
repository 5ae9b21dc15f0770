package io.facecast.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.rtc.PeerFactories;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ReceiverSession and the CLI against a real gRPC server whose sessions stream real WebRTC (see the fake). */
@Timeout(60)
class ReceiverSessionAndCliTest {
    private static PeerConnectionFactory sendFactory;
    private static FakeFacecastServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        sendFactory = PeerFactories.forSending();
        server = new FakeFacecastServer(sendFactory);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        PeerFactories.dispose(sendFactory);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FacecastCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void receiverSessionNegotiatesRecordsAndSeesEvents() throws Exception {
        Recording recording = new Recording(5);
        java.util.concurrent.CountDownLatch tenFrames = new java.util.concurrent.CountDownLatch(10);
        recording.addAnalyzer(frame -> tenFrames.countDown());
        try (FacecastClient client = FacecastClient.connect(server.target());
             ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(),
                     recording)) {
            assertTrue(session.awaitConnected(Duration.ofSeconds(10)), "connected: " + session.peerState());
            long utterance = session.speak("hello there");
            Optional<ReceivedEvent> started = session.awaitEvent(
                    e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == utterance,
                    Duration.ofSeconds(5));
            assertTrue(started.isPresent(), "speech_started arrived: " + session.events());
            assertEquals("hello there", started.get().event().getSpeechStarted().getText());
            assertTrue(session.events().get(0).event().hasStateChanged(), "first event is the current state");
            assertTrue(session.events().stream().anyMatch(e -> e.event().hasIceCandidate()),
                    "server candidates arrive as events");

            assertTrue(tenFrames.await(10, java.util.concurrent.TimeUnit.SECONDS), "frames: "
                    + recording.frameCount());
            Recording.Frame last = recording.frames().get(recording.frames().size() - 1);
            assertEquals(FakeFacecastServer.W, last.width());
            assertTrue(last.meanLuma(16, 16, 96, 96) > 200, "bright picture: " + last.meanLuma(16, 16, 96, 96));
            assertTrue(session.stats().videoFramesDecoded() > 0);
        }
        assertTrue(server.closedSessions.size() >= 1, "session closed on the server");
    }

    @Test
    void recordWritesAllFilesAndASummary() throws Exception {
        Path out = dir.resolve("rec");
        Run run = cli("record", "--target", server.target(), "--seconds", "2", "--lead-in-ms", "300",
                "--say", "Hello", "--say", "World", "--out", out.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains(out.toAbsolutePath().toString()), run.out());
        try (Y4mReader video = Y4mReader.open(out.resolve("video.y4m"))) {
            assertEquals(128, video.width());
            assertEquals(30, video.fps());
            assertTrue(video.frameCount() >= 30, "frames: " + video.frameCount());
        }
        long wavBytes = Files.size(out.resolve("audio.wav"));
        assertTrue(wavBytes > 44 + 96_000, "about 2 s of 48 kHz audio: " + wavBytes);
        assertNotNull(ImageIO.read(out.resolve("contact-sheet.png").toFile()));
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("video_frames_received: "), summary);
        assertTrue(summary.contains("speech_started utterance=1"), summary);
        assertTrue(summary.contains("speech_started utterance=2"), summary);
    }

    @Test
    void exitCodes() throws Exception {
        assertEquals(2, cli("speak").code(), "missing arguments");
        assertEquals(2, cli("frobnicate").code(), "unknown subcommand");
        assertEquals(2, cli("record", "--seconds", "x", "--out", dir.toString()).code());
        assertEquals(2, cli("record", "--target", server.target(), "--seconds", "0", "--out", dir.toString()).code());

        Run refused = cli("speak", "--target", server.target(), "no-such-session", "hi");
        assertEquals(3, refused.code());
        assertTrue(refused.err().contains("NOT_FOUND") && refused.err().contains("no session"), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());

        Run badAvatar = cli("create", "--target", server.target(), "--avatar", "nobody");
        assertEquals(3, badAvatar.code());
        assertTrue(badAvatar.err().contains("unknown avatar"), badAvatar.err());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Run unreachable = cli("create", "--target", "127.0.0.1:" + closedPort);
        assertEquals(4, unreachable.code(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());

        Run created = cli("create", "--target", server.target());
        assertEquals(0, created.code(), created.err());
        String id = created.out().strip();
        assertTrue(id.startsWith("fake-"), id);
        Run spoke = cli("speak", "--target", server.target(), id, "hi");
        assertEquals("1", spoke.out().strip());
        assertEquals(0, cli("close", "--target", server.target(), id).code());
        assertTrue(server.closedSessions.contains(id));
    }
}
