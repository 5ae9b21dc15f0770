package io.facecast.signaling.support;

import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.SessionEvent;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.StreamerInterruptResponse;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.facecast.signaling.backend.RendererBackend;
import io.facecast.signaling.backend.StreamerBackend;
import io.facecast.signaling.backend.StreamerBackendFactory;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plain in-memory backends for unit tests of the session logic (no gRPC at all). */
public final class FakeBackends {

    private FakeBackends() {}

    public static final class Renderer implements RendererBackend {
        private final CallLog log;

        public Renderer(CallLog log) {
            this.log = log;
        }

        @Override
        public String describe() {
            return "renderer at fake:1";
        }

        @Override
        public RendererOpenResponse openSession(RendererOpenRequest request) {
            log.add("renderer OpenSession " + request.getSessionId());
            return RendererOpenResponse.newBuilder().setAvatar("default").setVoice("kevin").build();
        }

        @Override
        public void speak(String sessionId, long utteranceId, String text, boolean syncMarkers) {
            log.add("renderer Speak " + sessionId + " " + utteranceId);
        }

        @Override
        public void interrupt(String sessionId, long discardThroughUtteranceId) {
            log.add("renderer Interrupt " + sessionId + " " + discardThroughUtteranceId);
        }

        @Override
        public void closeSession(String sessionId) {
            log.add("renderer CloseSession " + sessionId);
        }
    }

    public static final class Streamer implements StreamerBackend {
        private final String id;
        private final CallLog log;
        public volatile StreamObserver<SessionEvent> events;
        public volatile boolean shutDown;

        public Streamer(String id, CallLog log) {
            this.id = id;
            this.log = log;
        }

        @Override
        public String describe() {
            return "streamer " + id;
        }

        @Override
        public void openSession(StreamerOpenRequest request) {
            log.add(id + " OpenSession " + request.getSessionId());
        }

        @Override
        public String negotiate(String sessionId, String sdpOffer) {
            log.add(id + " Negotiate " + sessionId);
            return "v=0 answer";
        }

        @Override
        public void addIceCandidate(String sessionId, IceCandidate candidate) {
            log.add(id + " AddIceCandidate " + sessionId);
        }

        @Override
        public StreamerInterruptResponse interrupt(String sessionId, long discardThroughUtteranceId) {
            log.add(id + " Interrupt " + sessionId + " " + discardThroughUtteranceId);
            return StreamerInterruptResponse.newBuilder().setUtteranceId(discardThroughUtteranceId).build();
        }

        @Override
        public void closeSession(String sessionId) {
            log.add(id + " CloseSession " + sessionId);
        }

        @Override
        public Runnable watchEvents(StreamObserver<SessionEvent> observer) {
            events = observer;
            return () -> events = null;
        }

        @Override
        public void shutdown() {
            shutDown = true;
        }
    }

    public static final class StreamerFactory implements StreamerBackendFactory {
        private final CallLog log;
        public final Map<String, Streamer> connected = new ConcurrentHashMap<>();

        public StreamerFactory(CallLog log) {
            this.log = log;
        }

        @Override
        public StreamerBackend connect(String streamerId, String controlAddress) {
            Streamer streamer = new Streamer(streamerId, log);
            connected.put(streamerId, streamer);
            return streamer;
        }
    }
}
