package io.facecast.client;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.IceServer;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.rtc.IceServerConfig;
import io.facecast.rtc.InvalidSdpException;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.rtc.ReceiverStats;
import io.facecast.rtc.ReceivingPeer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session end to end: creates it over gRPC, follows its events, negotiates a receive-only WebRTC peer
 * (trickling ICE both ways), and records what arrives into a {@link Recording}.
 *
 * <pre>
 * try (FacecastClient client = FacecastClient.connect("127.0.0.1:50051");
 *      ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording)) {
 *     session.awaitConnected(Duration.ofSeconds(10));
 *     long id = session.speak("Hello");
 *     session.awaitEvent(e -> e.hasSpeechFinished() &amp;&amp; e.getSpeechFinished().getUtteranceId() == id, ...);
 * }
 * </pre>
 */
public final class ReceiverSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReceiverSession.class);

    private final FacecastClient client;
    private final Session session;
    private final LongSupplier nanoTime;
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final List<String[]> unsentCandidates = new ArrayList<>();
    private ReceivingPeer peer;
    private FacecastClient.EventSubscription subscription;
    private PeerState peerState = PeerState.NEW;
    private Throwable eventStreamError;
    private boolean eventStreamEnded;
    private boolean negotiated;
    private boolean closed;

    private ReceiverSession(FacecastClient client, Session session, LongSupplier nanoTime) {
        this.client = client;
        this.session = session;
        this.nanoTime = nanoTime;
    }

    /** Opens a session using the process-wide receiving factory. */
    public static ReceiverSession open(FacecastClient client, CreateSessionRequest request, Recording recording) {
        return open(client, request, recording, ReceiverFactories.shared(), System::nanoTime);
    }

    /**
     * Creates the session, starts following its events, negotiates, and returns once the answer is set (media may
     * still be connecting: see {@link #awaitConnected}). On failure the server session is closed again.
     *
     * @throws StatusRuntimeException the server refused or could not be reached
     * @throws IllegalStateException  the server's SDP answer was unusable
     */
    public static ReceiverSession open(FacecastClient client, CreateSessionRequest request, Recording recording,
                                       PeerConnectionFactory factory, LongSupplier nanoTime) {
        Session created = client.createSession(request);
        ReceiverSession session = new ReceiverSession(client, created, nanoTime);
        try {
            session.start(factory, recording);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private void start(PeerConnectionFactory factory, Recording recording) {
        List<IceServerConfig> iceServers = new ArrayList<>();
        for (IceServer server : session.getIceServersList()) {
            if (server.getUrlsCount() > 0) {
                iceServers.add(new IceServerConfig(server.getUrlsList(), server.getUsername(),
                        server.getCredential()));
            }
        }
        ReceivingPeer created = new ReceivingPeer(factory, iceServers, io.facecast.rtc.IcePolicy.ALL,
                new CandidateForwarder(), recording, nanoTime);
        synchronized (this) {
            peer = created;
        }
        subscription = client.watchEvents(sessionId(), new EventCollector());
        String offer = created.createOffer();
        String answer = client.negotiate(sessionId(), offer);
        try {
            created.setAnswer(answer);
        } catch (InvalidSdpException e) {
            throw new IllegalStateException("the server's SDP answer is unusable: " + e.getMessage(), e);
        }
        List<String[]> toSend;
        synchronized (this) {
            negotiated = true;
            toSend = List.copyOf(unsentCandidates);
            unsentCandidates.clear();
        }
        for (String[] candidate : toSend) {
            sendCandidate(candidate);
        }
    }

    public String sessionId() {
        return session.getSessionId();
    }

    /** The session as created (ICE servers, video options, streamer). */
    public Session session() {
        return session;
    }

    public long speak(String text) {
        return client.speak(sessionId(), text);
    }

    /** Speaks with sync markers when {@code syncMarkers} (see {@link FacecastClient#speak(String, String, boolean)}). */
    public long speak(String text, boolean syncMarkers) {
        return client.speak(sessionId(), text, syncMarkers);
    }

    public long interrupt() {
        return client.interrupt(sessionId());
    }

    /** Every event received so far, in arrival order. */
    public synchronized List<ReceivedEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Waits for the first event (already received or still to come) that matches.
     *
     * @return empty on timeout, or if the event stream ended without one
     */
    public Optional<ReceivedEvent> awaitEvent(Predicate<SessionEvent> predicate, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            int checked = 0;
            while (true) {
                for (; checked < events.size(); checked++) {
                    if (predicate.test(events.get(checked).event())) {
                        return Optional.of(events.get(checked));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || eventStreamEnded) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Waits until the peer connection is connected; false on timeout or if it failed or closed. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (peerState != PeerState.CONNECTED) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || peerState.isTerminal()) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    public synchronized PeerState peerState() {
        return peerState;
    }

    /** Why the event stream ended, if it ended with an error. */
    public synchronized Optional<Throwable> eventStreamError() {
        return Optional.ofNullable(eventStreamError);
    }

    public ReceiverStats stats() {
        return peer.stats();
    }

    /** Stops the event stream, closes the peer, and closes the session on the server (errors there are logged). */
    @Override
    public void close() {
        ReceivingPeer toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = peer;
        }
        if (subscription != null) {
            subscription.close();
        }
        if (toClose != null) {
            toClose.close();
        }
        try {
            client.closeSession(sessionId());
        } catch (StatusRuntimeException e) {
            log.warn("closing session {} on the server failed: {}", sessionId(), e.getStatus());
        }
    }

    private void sendCandidate(String[] candidate) {
        try {
            client.addIceCandidate(sessionId(), candidate[0], Integer.parseInt(candidate[1]), candidate[2]);
        } catch (StatusRuntimeException e) {
            log.warn("session {}: server refused an ICE candidate: {}", sessionId(), e.getStatus());
        }
    }

    private final class CandidateForwarder implements PeerListener {
        @Override
        public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
            String[] entry = {sdpMid, Integer.toString(sdpMLineIndex), candidate};
            synchronized (ReceiverSession.this) {
                if (closed) {
                    return;
                }
                // The server takes candidates only for a negotiated session: hold them until the answer is in.
                if (!negotiated) {
                    unsentCandidates.add(entry);
                    return;
                }
            }
            sendCandidate(entry);
        }

        @Override
        public void onConnectionState(PeerState state) {
            synchronized (ReceiverSession.this) {
                peerState = state;
                ReceiverSession.this.notifyAll();
            }
        }
    }

    private final class EventCollector implements StreamObserver<SessionEvent> {
        @Override
        public void onNext(SessionEvent event) {
            long arrival = nanoTime.getAsLong();
            ReceivingPeer target;
            synchronized (ReceiverSession.this) {
                events.add(new ReceivedEvent(event, arrival));
                ReceiverSession.this.notifyAll();
                target = peer;
            }
            if (event.hasIceCandidate() && target != null && !target.isClosed()) {
                var candidate = event.getIceCandidate();
                try {
                    target.addRemoteCandidate(candidate.getSdpMid(), candidate.getSdpMlineIndex(),
                            candidate.getCandidate());
                } catch (InvalidSdpException | IllegalStateException e) {
                    log.warn("session {}: ignoring server ICE candidate: {}", sessionId(), e.getMessage());
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            synchronized (ReceiverSession.this) {
                if (!closed && !(error instanceof StatusRuntimeException sre
                        && sre.getStatus().getCode() == Status.Code.CANCELLED)) {
                    eventStreamError = error;
                    log.warn("session {}: event stream ended: {}", sessionId(), error.toString());
                }
                eventStreamEnded = true;
                ReceiverSession.this.notifyAll();
            }
        }

        @Override
        public void onCompleted() {
            synchronized (ReceiverSession.this) {
                eventStreamEnded = true;
                ReceiverSession.this.notifyAll();
            }
        }
    }
}
