package io.facecast.signaling.backend;

import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererInterruptRequest;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakRequest;
import io.facecast.internal.v1.SessionRef;
import io.facecast.security.FleetRole;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** RendererControl over one long-lived channel; every call carries the control deadline. */
public final class GrpcRendererBackend implements RendererBackend, AutoCloseable {

    /** The renderer's limit per utterance (documented on Facecast.SpeakAudio). */
    static final int MAX_AUDIO_SECONDS = 600;

    private final String description;
    private final String address;
    private final ManagedChannel channel;
    private final RendererControlGrpc.RendererControlBlockingStub stub;
    private final long deadlineMillis;
    private final RendererControlGrpc.RendererControlStub asyncStub;

    public GrpcRendererBackend(String address, ChannelFactory channels, Duration deadline) {
        // Clients see "renderer"; where it is stays in signaling's log (BackendCall).
        this.description = "renderer";
        this.address = address;
        this.channel = channels.open(address, FleetRole.RENDERER, null);
        this.stub = RendererControlGrpc.newBlockingStub(channel);
        this.deadlineMillis = deadline.toMillis();
        this.asyncStub = RendererControlGrpc.newStub(channel);
    }

    private RendererControlGrpc.RendererControlBlockingStub call() {
        return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public RendererOpenResponse openSession(RendererOpenRequest request) {
        return BackendCall.run(description, address, () -> call().openSession(request));
    }

    @Override
    public void speak(String sessionId, long utteranceId, String text, boolean syncMarkers) {
        RendererSpeakRequest request = RendererSpeakRequest.newBuilder()
                .setSessionId(sessionId).setUtteranceId(utteranceId).setText(text).setSyncMarkers(syncMarkers).build();
        BackendCall.run(description, address, () -> call().speak(request));
    }

    /** The upload lasts as long as the speech: its deadline is the longest utterance plus the control deadline. */
    @Override
    public RendererAudioUpload speakAudio(RendererSpeakAudioStart start) {
        return GrpcAudioUpload.open(description, address,
                asyncStub.withDeadlineAfter(TimeUnit.SECONDS.toMillis(MAX_AUDIO_SECONDS) + deadlineMillis, TimeUnit.MILLISECONDS),
                start);
    }

    @Override
    public void interrupt(String sessionId, long discardThroughUtteranceId) {
        RendererInterruptRequest request = RendererInterruptRequest.newBuilder()
                .setSessionId(sessionId).setDiscardThroughUtteranceId(discardThroughUtteranceId).build();
        BackendCall.run(description, address, () -> call().interrupt(request));
    }

    @Override
    public io.facecast.internal.v1.RendererCatalog catalog() {
        return BackendCall.run(description, address, () -> call().listCatalog(io.facecast.internal.v1.Empty.getDefaultInstance()));
    }

    @Override
    public void closeSession(String sessionId) {
        BackendCall.run(description, address, () -> call().closeSession(SessionRef.newBuilder().setSessionId(sessionId).build()));
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
