package io.facecast.client;

import io.facecast.api.v1.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The all-in-one path: create a session, negotiate, speak, record for a while, write files, close. */
@Command(name = "record", description = "Create a session, say each --say text after a short idle lead-in, record "
        + "for --seconds, and write video.y4m, audio.wav, contact-sheet.png and summary.txt into --out.")
final class RecordCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    FacecastCli parent;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin
    FacecastCli.SessionOptions sessionOptions;

    @Option(names = "--seconds", required = true, description = "How long to record, counted from connection")
    int seconds;
    @Option(names = "--say", description = "Text for the avatar to say (repeatable, said in order)")
    List<String> texts = new ArrayList<>();
    @Option(names = "--say-wav", description = "WAV file (16-bit PCM) for the avatar to say, after the --say texts "
            + "(repeatable, said in order)")
    List<java.nio.file.Path> wavs = new ArrayList<>();
    @Option(names = "--out", required = true, description = "Folder for the recording (created if missing)")
    Path out;
    @Option(names = "--lead-in-ms", defaultValue = "1000", description = "Idle time before speaking. Default: "
            + "${DEFAULT-VALUE}")
    int leadInMs;
    @Option(names = "--connect-timeout-s", defaultValue = "15", description = "How long to wait for media to "
            + "connect. Default: ${DEFAULT-VALUE}")
    int connectTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive");
        }
        if (leadInMs < 0 || leadInMs >= seconds * 1000L) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--lead-in-ms must be >= 0 and shorter than --seconds");
        }
        PrintWriter console = spec.commandLine().getOut();
        Files.createDirectories(out);
        Path videoFile = out.resolve("video.y4m");
        Files.deleteIfExists(videoFile);
        Recording recording = new Recording(0);
        List<String> speech = new ArrayList<>();
        long start;
        Session session;
        List<ReceivedEvent> events;
        VideoFileSink video;
        try (FacecastClient client = parent.client();
             ReceiverSession receiver = ReceiverSession.open(client, sessionOptions.toRequest(), recording)) {
            session = receiver.session();
            int fps = session.getVideo().getFps() > 0 ? session.getVideo().getFps() : 30;
            video = new VideoFileSink(videoFile, fps);
            recording.addAnalyzer(video);
            console.println("session " + receiver.sessionId());
            if (!receiver.awaitConnected(java.time.Duration.ofSeconds(connectTimeoutSeconds))) {
                throw new MediaDidNotArriveException("media did not connect within " + connectTimeoutSeconds
                        + " s (peer state " + receiver.peerState() + "); check the server's ICE/TURN setup");
            }
            start = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(leadInMs);
            for (String text : texts) {
                long id = receiver.speak(text);
                speech.add("utterance " + id + ": " + text);
                console.println("speaking utterance " + id);
            }
            for (java.nio.file.Path wav : wavs) {
                long id = client.speakWav(receiver.sessionId(), wav);
                speech.add("utterance " + id + ": audio " + wav);
                console.println("speaking utterance " + id + " (audio)");
            }
            long left = start + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            events = receiver.events();
            recording.removeAnalyzer(video);
        }
        video.close();

        int sampleRate = recording.audioSampleRate() > 0 ? recording.audioSampleRate() : 48000;
        WavWriter.write(out.resolve("audio.wav"), recording.audioPcm(), sampleRate, 1);
        if (video.framesWritten() > 0) {
            ContactSheet.write(videoFile, out.resolve("contact-sheet.png"), 4, 4, 160);
        }
        Files.writeString(out.resolve("summary.txt"), summary(session, recording, video, speech, events, start),
                StandardCharsets.UTF_8);
        console.println(out.toAbsolutePath());
        if (recording.frameCount() == 0) {
            throw new MediaDidNotArriveException("connected, but no video frames arrived in " + seconds + " s");
        }
        return FacecastCli.EXIT_OK;
    }

    private String summary(Session session, Recording recording, VideoFileSink video, List<String> speech,
                           List<ReceivedEvent> events, long start) {
        StringBuilder text = new StringBuilder();
        text.append("session: ").append(session.getSessionId()).append('\n');
        text.append("streamer: ").append(session.getStreamerId()).append('\n');
        text.append("recorded_seconds: ").append(seconds).append('\n');
        text.append("video_frames_received: ").append(recording.frameCount()).append('\n');
        text.append("video_frames_written: ").append(video.framesWritten()).append('\n');
        text.append("video_size: ").append(video.size()).append('\n');
        text.append(String.format(Locale.ROOT, "video_fps_measured: %.2f%n", recording.measuredFps()));
        text.append(String.format(Locale.ROOT, "audio_seconds: %.2f%n", recording.audioSeconds()));
        text.append("requested_speech:\n");
        for (String line : speech) {
            text.append("  ").append(line).append('\n');
        }
        text.append("speech_events (ms since connected):\n");
        for (ReceivedEvent event : events) {
            if (EventFormat.isSpeechEvent(event.event())) {
                text.append(String.format(Locale.ROOT, "  %8.1f %s%n", (event.arrivalNanos() - start) / 1e6,
                        EventFormat.describe(event.event())));
            }
        }
        return text.toString();
    }

    /** Streams frames into video.y4m, opening it at the first frame (whose size fixes the file's). */
    static final class VideoFileSink implements Recording.FrameAnalyzer {
        private final Path file;
        private final int fps;
        private Y4mWriter writer;
        private String size = "none";
        private boolean closed;

        VideoFileSink(Path file, int fps) {
            this.file = file;
            this.fps = fps;
        }

        @Override
        public synchronized void onFrame(Recording.Frame frame) {
            if (closed) {
                return; // a frame that raced with the end of the recording
            }
            try {
                if (writer == null) {
                    writer = Y4mWriter.open(file, frame.width(), frame.height(), fps);
                    size = frame.width() + "x" + frame.height();
                }
                writer.write(frame.i420(), frame.width(), frame.height());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized long framesWritten() {
            return writer == null ? 0 : writer.framesWritten();
        }

        synchronized String size() {
            return size;
        }

        synchronized void close() throws IOException {
            closed = true;
            if (writer != null) {
                writer.close();
            }
        }
    }
}
