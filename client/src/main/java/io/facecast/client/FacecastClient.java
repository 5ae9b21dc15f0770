package io.facecast.client;

import io.facecast.api.v1.AddIceCandidateRequest;
import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.InterruptRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.WatchEventsRequest;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Thin convenience over the generated Facecast stubs, for a plaintext "host:port" target. Every unary call carries a
 * deadline; failures surface as {@link io.grpc.StatusRuntimeException} with the server's status.
 */
public final class FacecastClient implements AutoCloseable {
    public static final String DEFAULT_TARGET = "127.0.0.1:50051";
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);

    private final ManagedChannel ownedChannel;
    private final Channel channel;
    private final Duration deadline;

    private FacecastClient(ManagedChannel ownedChannel, Channel channel, Duration deadline) {
        this.ownedChannel = ownedChannel;
        this.channel = channel;
        this.deadline = deadline;
    }

    /** Connects (lazily) to {@code host:port} without TLS and without a credential. */
    public static FacecastClient connect(String target) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        return new FacecastClient(channel, channel, DEFAULT_DEADLINE);
    }

    /**
     * Connects (lazily) to {@code host:port} without TLS; every call carries {@code authorization: Bearer <bearer>}
     * (an API key, or an access token such as a session token). Null or empty sends none.
     */
    public static FacecastClient connect(String target, String bearer) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        Channel calls = bearer == null || bearer.isEmpty() ? channel
                : io.grpc.ClientInterceptors.intercept(channel, new io.grpc.ClientInterceptor() {
                    @Override
                    public <Q, A> io.grpc.ClientCall<Q, A> interceptCall(io.grpc.MethodDescriptor<Q, A> method,
                            io.grpc.CallOptions options, Channel next) {
                        return next.newCall(method, options.withCallCredentials(new BearerCredentials(bearer)));
                    }
                });
        return new FacecastClient(channel, calls, DEFAULT_DEADLINE);
    }

    /** Uses a channel the caller owns (and closes). */
    public static FacecastClient over(Channel channel) {
        return new FacecastClient(null, channel, DEFAULT_DEADLINE);
    }

    public FacecastClient withDeadline(Duration newDeadline) {
        return new FacecastClient(null, channel, newDeadline);
    }

    private FacecastGrpc.FacecastBlockingStub blocking() {
        return FacecastGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Session createSession(CreateSessionRequest request) {
        return blocking().createSession(request);
    }

    public Session getSession(String sessionId) {
        return blocking().getSession(GetSessionRequest.newBuilder().setSessionId(sessionId).build());
    }

    public void closeSession(String sessionId) {
        blocking().closeSession(CloseSessionRequest.newBuilder().setSessionId(sessionId).build());
    }

    /** Sends the SDP offer and returns the answer. */
    public String negotiate(String sessionId, String sdpOffer) {
        return blocking().negotiate(NegotiateRequest.newBuilder().setSessionId(sessionId).setSdpOffer(sdpOffer)
                .build()).getSdpAnswer();
    }

    public void addIceCandidate(String sessionId, String sdpMid, int sdpMLineIndex, String candidate) {
        blocking().addIceCandidate(AddIceCandidateRequest.newBuilder().setSessionId(sessionId)
                .setCandidate(IceCandidate.newBuilder().setSdpMid(sdpMid == null ? "" : sdpMid)
                        .setSdpMlineIndex(sdpMLineIndex).setCandidate(candidate))
                .build());
    }

    /** Queues text to say; returns the utterance id. */
    public long speak(String sessionId, String text) {
        return speak(sessionId, text, false);
    }

    /**
     * Queues text to say, optionally with sync markers (once per second a white mouth frame and a 1 kHz tone burst
     * at the same media time, for measuring lip-sync at a player, see GstSyncMarkerTest); returns the
     * utterance id.
     */
    public long speak(String sessionId, String text, boolean syncMarkers) {
        return blocking().speak(SpeakRequest.newBuilder().setSessionId(sessionId).setText(text)
                .setSyncMarkers(syncMarkers).build()).getUtteranceId();
    }

    /**
     * Says supplied audio: sends {@code start} (its session id is set here) then every chunk, in order, on one
     * SpeakAudio call; returns the utterance id. The renderer lip-syncs from the first chunk on, so a live source can
     * pass an iterator that blocks until its next chunk is ready. The call's deadline is the audio limit (10 min)
     * plus this client's deadline.
     *
     * <p>Flow-controlled: the next chunk is taken from {@code chunks} only while the call {@code isReady()} (gRPC's
     * transport has room), so a server that reads slowly, or not at all, holds this thread instead of making the
     * client buffer the whole upload: what is in flight stays within the transport's window and buffer (about
     * {@link UploadFlow#IN_FLIGHT_BOUND_BYTES} plus one chunk).
     */
    public long speakAudio(String sessionId, io.facecast.api.v1.SpeakAudioStart start, java.util.Iterator<byte[]> chunks) {
        java.util.concurrent.CompletableFuture<Long> result = new java.util.concurrent.CompletableFuture<>();
        UploadFlow flow = new UploadFlow(result);
        StreamObserver<io.facecast.api.v1.SpeakAudioRequest> up = FacecastGrpc.newStub(channel)
                .withDeadlineAfter(TimeUnit.MINUTES.toMillis(10) + deadline.toMillis(), TimeUnit.MILLISECONDS)
                .speakAudio(flow.responses());
        up.onNext(io.facecast.api.v1.SpeakAudioRequest.newBuilder().setStart(start.toBuilder().setSessionId(sessionId)).build());
        try {
            while (flow.awaitReady() && chunks.hasNext()) { // a refusal arrives early: stop sending
                up.onNext(io.facecast.api.v1.SpeakAudioRequest.newBuilder()
                        .setChunk(com.google.protobuf.ByteString.copyFrom(chunks.next())).build());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            up.onError(io.grpc.Status.CANCELLED.withDescription("the uploading thread was interrupted").asRuntimeException());
            throw io.grpc.Status.CANCELLED.withDescription("upload interrupted").asRuntimeException();
        }
        if (!result.isDone()) {
            up.onCompleted();
        }
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Says a WAV file (16-bit PCM, 1 or 2 channels, any common rate), streamed in 32 KiB chunks. */
    public long speakWav(String sessionId, java.nio.file.Path wav) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(wav);
        java.util.List<byte[]> chunks = new java.util.ArrayList<>();
        for (int at = 0; at < bytes.length; at += 32 * 1024) {
            chunks.add(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 32 * 1024)));
        }
        return speakAudio(sessionId, io.facecast.api.v1.SpeakAudioStart.newBuilder().setWav(true)
                .setText(wav.getFileName().toString()).build(), chunks.iterator());
    }

    /** Stops speech; returns the utterance cut short, 0 if idle. */
    public long interrupt(String sessionId) {
        return blocking().interrupt(InterruptRequest.newBuilder().setSessionId(sessionId).build()).getUtteranceId();
    }

    /** Follows the session's events (no deadline). Close the returned handle to stop. */
    public EventSubscription watchEvents(String sessionId, StreamObserver<SessionEvent> observer) {
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> FacecastGrpc.newStub(channel)
                .watchEvents(WatchEventsRequest.newBuilder().setSessionId(sessionId).build(), observer));
        return () -> context.cancel(null);
    }

    /** A running event stream. */
    @FunctionalInterface
    public interface EventSubscription extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void close() {
        if (ownedChannel != null) {
            ownedChannel.shutdownNow();
            try {
                ownedChannel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
