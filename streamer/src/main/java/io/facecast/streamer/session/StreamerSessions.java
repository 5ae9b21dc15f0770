package io.facecast.streamer.session;

import io.facecast.bus.MediaBus;
import io.facecast.bus.MediaFormat;
import io.facecast.ops.log.SessionLogContext;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.Stats;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.internal.v1.StreamerInspection;
import io.facecast.rtc.IcePolicy;
import io.facecast.rtc.IceServerConfig;
import io.facecast.rtc.InvalidSdpException;
import io.facecast.rtc.SenderOptions;
import io.facecast.rtc.SendingPeer;
import io.facecast.streamer.events.SessionEventsBridge;
import io.facecast.streamer.events.StreamerEvents;
import io.facecast.streamer.ingest.BusIngest;
import io.facecast.streamer.schedule.InterruptResult;
import io.facecast.streamer.schedule.SessionSpec;
import io.facecast.streamer.schedule.SessionStats;
import io.facecast.streamer.schedule.StreamerScheduler;
import io.facecast.streamer.webrtc.PeerMediaSink;
import dev.onvoid.webrtc.PeerConnectionFactory;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.facecast.rtc.PeerListener;
import io.facecast.streamer.metrics.StreamerMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The streamer's sessions: each is a timeline in the scheduler, a subscription of the bus reader, and (once the client
 * has negotiated) one peer connection. Plain logic; the gRPC service in front of it only translates.
 */
public final class StreamerSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamerSessions.class);

    private final String streamerId;
    private final int maxSessions;
    private final StreamerScheduler scheduler;
    private final BusIngest ingest;
    private final PeerConnectionFactory factory;
    private final SenderOptions senderOptions;
    private final StreamerEvents events;
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private volatile UnaryOperator<PeerListener> peerListeners = UnaryOperator.identity();
    /** Set when the process drains: live sessions play on, new ones are refused. */
    private volatile boolean draining;

    private static final class Entry {
        final SessionSpec spec;
        final List<IceServerConfig> iceServers;
        final IcePolicy icePolicy;
        final PeerMediaSink sink = new PeerMediaSink();
        final SessionEventsBridge bridge;

        Entry(SessionSpec spec, List<IceServerConfig> iceServers, IcePolicy icePolicy, SessionEventsBridge bridge) {
            this.spec = spec;
            this.iceServers = iceServers;
            this.icePolicy = icePolicy;
            this.bridge = bridge;
        }
    }

    public StreamerSessions(String streamerId, int maxSessions, StreamerScheduler scheduler, BusIngest ingest,
                            PeerConnectionFactory factory, SenderOptions senderOptions, StreamerEvents events) {
        this.streamerId = streamerId;
        this.maxSessions = maxSessions;
        this.scheduler = scheduler;
        this.ingest = ingest;
        this.factory = factory;
        this.senderOptions = senderOptions;
        this.events = events;
    }

    /** Wraps each session's peer listener (the process's metrics count connection states there). */
    public StreamerSessions observePeers(UnaryOperator<PeerListener> wrap) {
        this.peerListeners = wrap;
        return this;
    }

    /** Each open session's pacing stats and, once negotiated, its sender's RTP stats (blocks on the native layer). */
    public List<StreamerMetrics.SessionSample> samples() {
        List<StreamerMetrics.SessionSample> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : sessions.entrySet()) {
            try {
                SendingPeer peer = e.getValue().sink.peer();
                out.add(new StreamerMetrics.SessionSample(e.getKey(), scheduler.stats(e.getKey()),
                        peer == null || peer.isClosed() ? null : peer.stats()));
            } catch (RuntimeException closedMeanwhile) {
                // the session or its peer went away while we looked
            }
        }
        return out;
    }

    public synchronized void open(String sessionId, MediaSpec media, List<IceServerConfig> iceServers) {
        open(sessionId, media, iceServers, senderOptions.icePolicy());
    }

    /** As above, with the session's own ICE policy (signaling may require relay-only media). */
    public synchronized void open(String sessionId, MediaSpec media, List<IceServerConfig> iceServers, IcePolicy icePolicy) {
        if (sessionId.isEmpty()) {
            throw new StreamerException(Status.Code.INVALID_ARGUMENT, "session_id is empty");
        }
        if (!MediaBus.isSafeSessionId(sessionId)) {
            throw new StreamerException(Status.Code.INVALID_ARGUMENT, "session_id '" + sessionId + "' cannot name the "
                    + "session's bus queue: use 1-128 letters, digits, '.', '_' or '-'");
        }
        if (draining) {
            throw new StreamerException(Status.Code.UNAVAILABLE, "streamer " + streamerId + " is draining");
        }
        if (sessions.containsKey(sessionId)) {
            throw new StreamerException(Status.Code.ALREADY_EXISTS, "session " + sessionId + " is already open on " + streamerId);
        }
        if (sessions.size() >= maxSessions) {
            throw new StreamerException(Status.Code.RESOURCE_EXHAUSTED,
                    "streamer " + streamerId + " is full (" + maxSessions + " sessions)");
        }
        SessionSpec spec;
        try {
            spec = SessionSpec.of(sessionId, orDefault(media.getWidth(), MediaFormat.DEFAULT_WIDTH),
                    orDefault(media.getHeight(), MediaFormat.DEFAULT_HEIGHT), orDefault(media.getFps(), MediaFormat.DEFAULT_FPS));
        } catch (IllegalArgumentException e) {
            throw new StreamerException(Status.Code.INVALID_ARGUMENT, e.getMessage());
        }
        Entry entry = new Entry(spec, iceServers, icePolicy, new SessionEventsBridge(sessionId, events, () -> close(sessionId)));
        sessions.put(sessionId, entry);
        // Subscribe before the scheduler opens so no record the renderer writes right after this call is missed.
        ingest.subscribe(sessionId);
        scheduler.open(spec, entry.sink, entry.bridge);
        try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
            log.info("session {} opened: {}x{} at {} fps", sessionId, spec.width(), spec.height(), spec.fps());
        }
    }

    public String negotiate(String sessionId, String offerSdp) {
        Entry e = entry(sessionId);
        SendingPeer peer;
        synchronized (e) {
            if (e.sink.peer() != null) {
                throw new StreamerException(Status.Code.FAILED_PRECONDITION,
                        "session " + sessionId + " is already negotiated; renegotiation is not supported");
            }
            peer = new SendingPeer(factory, sessionId, e.iceServers, e.spec.width(), e.spec.height(), e.spec.fps(),
                    peerListeners.apply(e.bridge), senderOptions.withIcePolicy(e.icePolicy));
            try {
                String answer = peer.answer(offerSdp);
                e.sink.attach(peer);
                return answer;
            } catch (InvalidSdpException ex) {
                peer.close();
                throw new StreamerException(Status.Code.INVALID_ARGUMENT, ex.getMessage());
            }
        }
    }

    public void addIceCandidate(String sessionId, String sdpMid, int mlineIndex, String candidate) {
        SendingPeer peer = entry(sessionId).sink.peer();
        if (peer == null) {
            throw new StreamerException(Status.Code.FAILED_PRECONDITION,
                    "session " + sessionId + " has no peer yet: send the offer (Negotiate) before ICE candidates");
        }
        try {
            peer.addRemoteCandidate(sdpMid, mlineIndex, candidate);
        } catch (InvalidSdpException ex) {
            throw new StreamerException(Status.Code.INVALID_ARGUMENT, ex.getMessage());
        }
    }

    public InterruptResult interrupt(String sessionId, long discardThroughUtteranceId) {
        entry(sessionId);
        try {
            return scheduler.interrupt(sessionId, discardThroughUtteranceId).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StreamerException(Status.Code.CANCELLED, "interrupted while stopping speech");
        } catch (ExecutionException | TimeoutException ex) {
            throw new StreamerException(Status.Code.UNAVAILABLE, "the scheduler did not confirm the interrupt: " + ex);
        }
    }

    /** Frees the session's timeline, bus subscription and peer connection. Idempotent. */
    public void close(String sessionId) {
        Entry e = sessions.remove(sessionId);
        if (e == null) {
            return;
        }
        ingest.unsubscribe(sessionId);
        scheduler.close(sessionId);
        SendingPeer peer = e.sink.peer();
        if (peer != null) {
            peer.close();
        }
        try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
            log.info("session {} closed", sessionId);
        }
    }

    /** Publishes a Stats event for every session (called periodically). */
    public void publishStats() {
        for (String id : sessions.keySet()) {
            SessionStats s;
            try {
                s = scheduler.stats(id);
            } catch (RuntimeException closedMeanwhile) {
                continue;
            }
            events.publish(SessionEvent.newBuilder().setSessionId(id).setStats(Stats.newBuilder()
                    .setMediaTimeMs(s.mediaTimeMs()).setVideoFramesSent(s.videoFramesPushed())
                    .setAudioChunksSent(s.audioChunksPushed()).setVideoFps(s.deliveredFps())
                    .setPacingErrorP99Us(s.pacingP99Us()).setPacingErrorMaxUs(s.pacingMaxUs())));
        }
    }

    public int size() {
        return sessions.size();
    }

    /** The ids of the sessions open now (sent when re-registering with signaling). */
    public List<String> ids() {
        return List.copyOf(sessions.keySet());
    }

    /** From now on {@link #open} answers UNAVAILABLE "streamer &lt;id&gt; is draining"; open sessions are untouched. */
    public synchronized void drain() {
        draining = true;
    }

    public StreamerInspection inspect() {
        int peers = 0;
        for (Entry e : sessions.values()) {
            SendingPeer p = e.sink.peer();
            if (p != null && !p.isClosed()) {
                peers++;
            }
        }
        return StreamerInspection.newBuilder().setStreamerId(streamerId).setSessions(scheduler.sessionIds().size())
                .setPeerConnections(peers).setBusSubscriptions(ingest.subscriptions())
                .setBusRecordsRead(ingest.recordsRead())
                .setBusCycleFilesDeleted(ingest.cycleFilesDeleted()).build();
    }

    private Entry entry(String sessionId) {
        Entry e = sessions.get(sessionId);
        if (e == null) {
            throw new StreamerException(Status.Code.NOT_FOUND, "session " + sessionId + " is not open on " + streamerId);
        }
        return e;
    }

    private static int orDefault(int v, int dflt) {
        return v == 0 ? dflt : v;
    }

    @Override
    public void close() {
        for (String id : List.copyOf(sessions.keySet())) {
            close(id);
        }
    }
}
