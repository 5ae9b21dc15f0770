package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.ApiKeys;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverFactories;
import io.facecast.client.Recording;
import io.facecast.rtc.IcePolicy;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.rtc.ReceivingPeer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived receiving client on a {@link NetnsLab} host, driven line by line on stdin by a test that cannot reach
 * the lab's addresses itself. Each command is {@code ID VERB ARGS...}; the answer is one line {@code R ID ok ...} or
 * {@code R ID err MESSAGE}. Every event of a watched session is printed as
 * {@code E TAG NANOS KIND DETAIL} (NANOS: System.nanoTime() at arrival, CLOCK_MONOTONIC, comparable with the test's).
 * <pre>
 * create TARGET                      -> ok SESSION_ID STREAMER_ID
 * open TAG SESSION_ID TARGET         negotiate through TARGET, receive, watch through TARGET -> ok connected
 * watch TAG TARGET                   one more event stream for TAG's session, through TARGET
 * speak TAG TARGET TEXT...           -> ok UTTERANCE_ID
 * get SESSION_ID TARGET              -> ok STATE
 * close SESSION_ID TARGET
 * media TAG FROM_NANOS TO_NANOS      -> ok FRAMES FPS LARGEST_VIDEO_GAP_MS LARGEST_AUDIO_GAP_MS VIDEO_GAP_AT_MS
 *                                       AUDIO_GAP_AT_MS WIRE_FRAMES LARGEST_WIRE_VIDEO_GAP_MS WIRE_VIDEO_GAP_AT_MS
 *                                       (where each largest gap ended, after FROM; video gaps both as the peer's
 *                                       sink saw decoded frames and as the frames arrived on this host's wire,
 *                                       see {@link WireCapture}; the wire columns are -1 without a capture)
 *                                       Each media call also writes TAG's decoded-frame and audio-chunk arrivals
 *                                       to client-frames-TAG.csv beside the capture, for tools/video-gaps/rtp_gaps.py
 * now                                -> ok NANOS
 * http URL                           -> ok STATUS (GET; -1 when it does not answer)
 * readywatch URL / readystop         poll URL every 100 ms; stop -> ok POLLS OK_COUNT (200s)
 * </pre>
 * Usage: {@code FleetClientAgent API_KEY_FILE}. Where dumpcap is installed the agent captures the UDP its host
 * receives, for the whole run, into {@code client-wire.pcap} beside the key file.
 */
public final class FleetClientAgent {
    private static final Map<String, FacecastClient> CLIENTS = new ConcurrentHashMap<>();
    private static final Map<String, Recording> RECORDINGS = new ConcurrentHashMap<>();
    private static final Map<String, String> SESSIONS = new ConcurrentHashMap<>();
    /** Each tag's video SSRC, from the streamer's answer: how its packets are told apart in the capture. */
    private static final Map<String, Long> VIDEO_SSRCS = new ConcurrentHashMap<>();
    /** Each tag's decoded frames: sink arrival and the render time libwebrtc gave the frame (both CLOCK_MONOTONIC). */
    private static final Map<String, List<long[]>> RENDER_TIMES = new ConcurrentHashMap<>();
    private static WireCapture wire;
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static String key;
    private static volatile boolean watching;
    private static int polls;
    private static int oks;
    private static Thread watcher;

    public static void main(String[] args) throws Exception {
        key = ApiKeys.firstKey(Path.of(args[0]));
        if (WireCapture.tool().isPresent()) {
            wire = WireCapture.start("any", Path.of(args[0]).toAbsolutePath().resolveSibling("client-wire.pcap"));
        } else {
            say("no dumpcap: wire arrivals are not measured (apt-get install tshark)");
        }
        ExecutorService pool = Executors.newCachedThreadPool();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        say("agent ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w.length < 2) {
                continue;
            }
            pool.execute(() -> {
                try {
                    say("R " + w[0] + " ok " + run(w));
                } catch (Throwable t) {
                    String m = t instanceof io.grpc.StatusRuntimeException s ? s.getStatus().getCode() + " "
                            + s.getStatus().getDescription() : t.toString();
                    say("R " + w[0] + " err " + m.replace('\n', ' '));
                }
            });
        }
        System.exit(0);
    }

    private static synchronized void say(String s) {
        System.out.println(s);
        System.out.flush();
    }

    private static FacecastClient client(String target) {
        return CLIENTS.computeIfAbsent(target, t -> FacecastClient.connect(t, key));
    }

    private static String rest(String[] w, int from) {
        return String.join(" ", java.util.Arrays.copyOfRange(w, from, w.length));
    }

    private static String run(String[] w) throws Exception {
        switch (w[1]) {
            case "now":
                return Long.toString(System.nanoTime());
            case "create": {
                Session s = client(w[2]).createSession(CreateSessionRequest.getDefaultInstance());
                return s.getSessionId() + " " + s.getStreamerId();
            }
            case "open":
                return open(w[2], w[3], w[4]);
            case "watch":
                watch(w[2], SESSIONS.get(w[2]), w[3]);
                return "watching";
            case "speak":
                return Long.toString(client(w[3]).speak(SESSIONS.get(w[2]), rest(w, 4)));
            case "get":
                return client(w[3]).getSession(w[2]).getState().name();
            case "close":
                client(w[3]).closeSession(w[2]);
                return "closed";
            case "media": {
                Recording r = RECORDINGS.get(w[2]);
                long from = Long.parseLong(w[3]);
                long to = Long.parseLong(w[4]);
                List<Long> video = NodeProbe.videoArrivals(r);
                long frames = video.stream().filter(t -> t >= from && t < to).count();
                Long ssrc = VIDEO_SSRCS.get(w[2]);
                List<Long> onWire = wire == null || ssrc == null ? null : wire.videoFrameArrivals(ssrc, to);
                long wireFrames = onWire == null ? -1 : onWire.stream().filter(t -> t >= from && t < to).count();
                if (wire != null) {
                    writeFrames(w[2], wire.file().resolveSibling("client-frames-" + w[2] + ".csv"));
                }
                return String.format(Locale.ROOT, "%d %.1f %.1f %.1f %.0f %.0f %d %.1f %.0f", frames,
                        frames / ((to - from) / 1e9), NodeProbe.largestGapMillis(video, from, to),
                        NodeProbe.largestGapMillis(r.audioChunkArrivals(), from, to),
                        largestGapAtMillis(video, from, to), largestGapAtMillis(r.audioChunkArrivals(), from, to),
                        wireFrames, onWire == null ? -1 : NodeProbe.largestGapMillis(onWire, from, to),
                        onWire == null ? -1 : largestGapAtMillis(onWire, from, to));
            }

            case "http":
                return Integer.toString(status(w[2]));
            case "readywatch": {
                String url = w[2];
                synchronized (FleetClientAgent.class) {
                    polls = 0;
                    oks = 0;
                }
                watching = true;
                watcher = new Thread(() -> {
                    while (watching) {
                        int st = status(url);
                        synchronized (FleetClientAgent.class) {
                            polls++;
                            if (st == 200) {
                                oks++;
                            }
                        }
                        try {
                            Thread.sleep(100); // a poll interval, not a wait for something
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                watcher.start();
                return "watching";
            }
            case "readystop": {
                watching = false;
                watcher.join(3000);
                synchronized (FleetClientAgent.class) {
                    return polls + " " + oks;
                }
            }
            default:
                throw new IllegalArgumentException("unknown command " + w[1]);
        }
    }

    /** Where the largest gap within [from, to) ends, in ms after {@code from}. */
    private static double largestGapAtMillis(List<Long> arrivals, long from, long to) {
        long prev = -1;
        long worst = -1;
        long at = from;
        for (long t : arrivals) {
            if (t < from || t >= to) continue;
            if (prev >= 0 && t - prev > worst) {
                worst = t - prev;
                at = t;
            }
            prev = t;
        }
        return (at - from) / 1e6;
    }

    private static void writeFrames(String tag, Path file) throws java.io.IOException {
        StringBuilder out = new StringBuilder("# realtime_minus_monotonic_ns " + WireCapture.realtimeMinusMonotonicNanos()
                + "\nkind,arrival_ns,render_ns\n");
        List<long[]> frames = RENDER_TIMES.get(tag);
        synchronized (frames) {
            for (long[] f : frames) {
                out.append("v,").append(f[0]).append(',').append(f[1]).append('\n');
            }
        }
        for (long t : RECORDINGS.get(tag).audioChunkArrivals()) {
            out.append("a,").append(t).append(",0\n");
        }
        java.nio.file.Files.writeString(file, out);
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void watch(String tag, String id, String target) {
        FacecastClient.EventSubscription sub = client(target).watchEvents(id, new StreamObserver<>() {
            @Override
            public void onNext(SessionEvent e) {
                long now = System.nanoTime();
                String detail = switch (e.getEventCase()) {
                    case STATE_CHANGED -> e.getStateChanged().getState().name() + " " + e.getStateChanged().getReason();
                    case ERROR -> e.getError().getCode() + " " + e.getError().getMessage();
                    case SPEECH_STARTED -> Long.toString(e.getSpeechStarted().getUtteranceId());
                    case SPEECH_FINISHED -> Long.toString(e.getSpeechFinished().getUtteranceId());
                    default -> "";
                };
                if (e.hasStats() || e.hasWordStarted()) {
                    return;
                }
                say("E " + tag + " " + now + " " + target + " " + e.getEventCase().name() + " "
                        + detail.replace('\n', ' '));
            }

            @Override
            public void onError(Throwable t) {
                say("E " + tag + " " + System.nanoTime() + " " + target + " STREAM_ERROR " + Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                say("E " + tag + " " + System.nanoTime() + " " + target + " STREAM_END");
            }
        });
        synchronized (OPEN) {
            OPEN.add(sub);
        }
    }

    private static String open(String tag, String id, String target) throws Exception {
        FacecastClient client = client(target);
        SESSIONS.put(tag, id);
        Recording recording = new Recording(0);
        List<long[]> renderTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        recording.addAnalyzer(f -> renderTimes.add(new long[] {f.arrivalNanos(), f.renderNanos()}));
        RENDER_TIMES.put(tag, renderTimes);
        RECORDINGS.put(tag, recording);
        List<String[]> pending = new ArrayList<>();
        boolean[] negotiated = {false};
        CountDownLatch connected = new CountDownLatch(1);
        ReceivingPeer[] holder = new ReceivingPeer[1];
        PeerListener listener = new PeerListener() {
            @Override
            public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
                synchronized (pending) {
                    if (!negotiated[0]) {
                        pending.add(new String[] {sdpMid, Integer.toString(sdpMLineIndex), candidate});
                        return;
                    }
                }
                client.addIceCandidate(id, sdpMid, sdpMLineIndex, candidate);
            }

            @Override
            public void onConnectionState(PeerState state) {
                say("P " + tag + " " + System.nanoTime() + " " + state);
                if (state == PeerState.CONNECTED) {
                    connected.countDown();
                }
            }
        };
        ReceivingPeer peer = new ReceivingPeer(ReceiverFactories.shared(), List.of(), IcePolicy.ALL, listener,
                recording, System::nanoTime);
        holder[0] = peer;
        synchronized (OPEN) {
            OPEN.add(peer);
        }
        // Candidates trickled by the streamer arrive as events: a dedicated stream feeds them to the peer.
        FacecastClient.EventSubscription candidates = client.watchEvents(id, new StreamObserver<>() {
            @Override
            public void onNext(SessionEvent e) {
                if (e.hasIceCandidate()) {
                    try {
                        peer.addRemoteCandidate(e.getIceCandidate().getSdpMid(), e.getIceCandidate().getSdpMlineIndex(),
                                e.getIceCandidate().getCandidate());
                    } catch (Exception ex) {
                        say("refused-candidate " + ex.getMessage());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        synchronized (OPEN) {
            OPEN.add(candidates);
        }
        watch(tag, id, target);
        String answer = client.negotiate(id, peer.createOffer());
        WireCapture.videoSsrc(answer).ifPresent(ssrc -> VIDEO_SSRCS.put(tag, ssrc));
        peer.setAnswer(answer);
        List<String[]> toSend;
        synchronized (pending) {
            negotiated[0] = true;
            toSend = List.copyOf(pending);
        }
        for (String[] c : toSend) {
            client.addIceCandidate(id, c[0], Integer.parseInt(c[1]), c[2]);
        }
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("peer did not connect within 30 s");
        }
        return "connected";
    }
}
