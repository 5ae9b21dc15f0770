package io.facecast.client;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.api.v1.AddIceCandidateRequest;
import io.facecast.api.v1.AddIceCandidateResponse;
import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CloseSessionResponse;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.InterruptRequest;
import io.facecast.api.v1.InterruptResponse;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.NegotiateResponse;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.api.v1.SpeechStarted;
import io.facecast.api.v1.StateChanged;
import io.facecast.api.v1.VideoOptions;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.rtc.InvalidSdpException;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.rtc.SendingPeer;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only stand-in for signaling + streamer: a real gRPC server on loopback whose sessions send a real WebRTC
 * stream (a bright 128x128 picture and a quiet tone) from a real {@link SendingPeer}. Fake only in what it renders.
 */
final class FakeFacecastServer implements AutoCloseable {
    static final int W = 128;
    static final int H = 128;

    private final PeerConnectionFactory factory;
    private final Server server;
    private final Map<String, FakeSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final List<String> closedSessions = new CopyOnWriteArrayList<>();

    FakeFacecastServer(PeerConnectionFactory factory) throws IOException {
        this.factory = factory;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Service()).build().start();
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        sessions.values().forEach(FakeSession::close);
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class FakeSession implements PeerListener {
        final String id;
        final List<StreamObserver<SessionEvent>> watchers = new CopyOnWriteArrayList<>();
        final AtomicLong utterances = new AtomicLong();
        volatile SendingPeer peer;
        volatile Thread pusher;

        FakeSession(String id) {
            this.id = id;
        }

        void emit(SessionEvent.Builder event) {
            SessionEvent built = event.setSessionId(id).setTimestampUs(System.currentTimeMillis() * 1000).build();
            for (StreamObserver<SessionEvent> watcher : watchers) {
                synchronized (watcher) {
                    watcher.onNext(built);
                }
            }
        }

        @Override
        public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
            emit(SessionEvent.newBuilder().setIceCandidate(IceCandidate.newBuilder().setSdpMid(sdpMid)
                    .setSdpMlineIndex(sdpMLineIndex).setCandidate(candidate)));
        }

        @Override
        public void onConnectionState(PeerState state) {
            if (state == PeerState.CONNECTED) {
                emit(SessionEvent.newBuilder().setStateChanged(StateChanged.newBuilder()
                        .setState(SessionState.SESSION_STATE_CONNECTED)));
            }
        }

        void startPushing() {
            pusher = new Thread(() -> {
                byte[] frame = WritersTest.frame(W, H, 235);
                byte[] tone = new byte[960];
                for (int i = 0; i < 480; i++) {
                    short s = (short) (Math.sin(2 * Math.PI * 440 * i / 48000.0) * 8000);
                    tone[2 * i] = (byte) s;
                    tone[2 * i + 1] = (byte) (s >> 8);
                }
                long start = System.nanoTime();
                long tick = 0;
                try {
                    // 10 ms ticks: audio every tick, video every third-ish (30 fps).
                    while (!Thread.currentThread().isInterrupted()) {
                        if (!peer.pushAudio(tone, 48000, 1)) {
                            return;
                        }
                        if (tick * 30 / 100 != (tick + 1) * 30 / 100) {
                            peer.pushVideo(frame, W, H);
                        }
                        tick++;
                        long sleep = start + tick * 10_000_000L - System.nanoTime();
                        if (sleep > 0) {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fake-streamer-" + id);
            pusher.setDaemon(true);
            pusher.start();
        }

        void close() {
            if (pusher != null) {
                pusher.interrupt();
            }
            if (peer != null) {
                peer.close();
            }
            for (StreamObserver<SessionEvent> watcher : watchers) {
                synchronized (watcher) {
                    watcher.onCompleted();
                }
            }
            watchers.clear();
        }
    }

    private final class Service extends FacecastGrpc.FacecastImplBase {
        private FakeSession find(String id, StreamObserver<?> observer) {
            FakeSession session = sessions.get(id);
            if (session == null) {
                observer.onError(Status.NOT_FOUND.withDescription("no session " + id).asRuntimeException());
            }
            return session;
        }

        @Override
        public void createSession(CreateSessionRequest request, StreamObserver<Session> observer) {
            if (request.getAvatar().equals("nobody")) {
                observer.onError(Status.NOT_FOUND.withDescription("unknown avatar \"nobody\"").asRuntimeException());
                return;
            }
            String id = "fake-" + ids.incrementAndGet();
            sessions.put(id, new FakeSession(id));
            observer.onNext(Session.newBuilder().setSessionId(id).setState(SessionState.SESSION_STATE_NEW)
                    .setVideo(VideoOptions.newBuilder().setWidth(W).setHeight(H).setFps(30))
                    .setStreamerId("fake-streamer").build());
            observer.onCompleted();
        }

        @Override
        public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> observer) {
            FakeSession session = sessions.remove(request.getSessionId());
            if (session != null) {
                session.close();
                closedSessions.add(session.id);
            }
            observer.onNext(CloseSessionResponse.getDefaultInstance());
            observer.onCompleted();
        }

        @Override
        public void negotiate(NegotiateRequest request, StreamObserver<NegotiateResponse> observer) {
            FakeSession session = find(request.getSessionId(), observer);
            if (session == null) {
                return;
            }
            SendingPeer peer = new SendingPeer(factory, session.id, List.of(), W, H, 30, session);
            session.peer = peer;
            try {
                String answer = peer.answer(request.getSdpOffer());
                session.startPushing();
                observer.onNext(NegotiateResponse.newBuilder().setSdpAnswer(answer).build());
                observer.onCompleted();
            } catch (InvalidSdpException e) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void addIceCandidate(AddIceCandidateRequest request, StreamObserver<AddIceCandidateResponse> observer) {
            FakeSession session = find(request.getSessionId(), observer);
            if (session == null) {
                return;
            }
            if (session.peer == null) {
                observer.onError(Status.FAILED_PRECONDITION.withDescription("negotiate first").asRuntimeException());
                return;
            }
            try {
                session.peer.addRemoteCandidate(request.getCandidate().getSdpMid(),
                        request.getCandidate().getSdpMlineIndex(), request.getCandidate().getCandidate());
                observer.onNext(AddIceCandidateResponse.getDefaultInstance());
                observer.onCompleted();
            } catch (InvalidSdpException e) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void speak(SpeakRequest request, StreamObserver<SpeakResponse> observer) {
            FakeSession session = find(request.getSessionId(), observer);
            if (session == null) {
                return;
            }
            if (request.getText().isEmpty()) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription("text is empty").asRuntimeException());
                return;
            }
            long id = session.utterances.incrementAndGet();
            observer.onNext(SpeakResponse.newBuilder().setUtteranceId(id).build());
            observer.onCompleted();
            session.emit(SessionEvent.newBuilder().setSpeechStarted(SpeechStarted.newBuilder().setUtteranceId(id)
                    .setText(request.getText())));
        }

        @Override
        public void interrupt(InterruptRequest request, StreamObserver<InterruptResponse> observer) {
            if (find(request.getSessionId(), observer) == null) {
                return;
            }
            observer.onNext(InterruptResponse.getDefaultInstance());
            observer.onCompleted();
        }

        @Override
        public void watchEvents(WatchEventsRequest request, StreamObserver<SessionEvent> observer) {
            FakeSession session = find(request.getSessionId(), observer);
            if (session == null) {
                return;
            }
            synchronized (observer) {
                observer.onNext(SessionEvent.newBuilder().setSessionId(session.id).setStateChanged(
                        StateChanged.newBuilder().setState(SessionState.SESSION_STATE_NEW)).build());
            }
            session.watchers.add(observer);
        }
    }
}
