package io.facecast.signaling.support;

import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererInterruptRequest;
import io.facecast.internal.v1.RendererInterruptResponse;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.RendererSpeakAudioRequest;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakRequest;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.facecast.internal.v1.SessionRef;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A RendererControl that knows avatar "default"/"ada" and voice "default"/"kevin", and records what it was told. */
public final class FakeRendererServer extends RendererControlGrpc.RendererControlImplBase {

    private final CallLog log;
    public final Set<String> openSessions = ConcurrentHashMap.newKeySet();
    public final Map<String, RendererOpenRequest> opened = new ConcurrentHashMap<>();
    public final List<RendererSpeakRequest> spoken = new CopyOnWriteArrayList<>();
    public final List<RendererInterruptRequest> interrupts = new CopyOnWriteArrayList<>();
    public volatile boolean crashOnSpeak;
    /** Speak on a session not open here answers NOT_FOUND, as the real renderer does (e.g. after a restart). */
    public volatile boolean strictSessions;

    public FakeRendererServer(CallLog log) {
        this.log = log;
    }

    @Override
    public void openSession(RendererOpenRequest request, StreamObserver<RendererOpenResponse> response) {
        log.add("renderer OpenSession " + request.getSessionId());
        String avatar = request.getAvatar().isEmpty() ? "default" : request.getAvatar();
        String voice = request.getVoice().isEmpty() ? "kevin" : request.getVoice();
        if (!Set.of("default", "ada").contains(avatar)) {
            response.onError(Status.NOT_FOUND.withDescription("avatar '" + avatar + "' does not exist").asRuntimeException());
            return;
        }
        if (!Set.of("kevin", "alan").contains(voice)) {
            response.onError(Status.NOT_FOUND.withDescription("voice '" + voice + "' does not exist").asRuntimeException());
            return;
        }
        if (strictSessions && openSessions.contains(request.getSessionId())) { // as the real renderer answers
            response.onError(Status.ALREADY_EXISTS.withDescription("session '" + request.getSessionId()
                    + "' is already open; close it first").asRuntimeException());
            return;
        }
        openSessions.add(request.getSessionId());
        opened.put(request.getSessionId(), request);
        response.onNext(RendererOpenResponse.newBuilder().setAvatar(avatar).setVoice(voice).build());
        response.onCompleted();
    }

    @Override
    public void speak(RendererSpeakRequest request, StreamObserver<RendererSpeakResponse> response) {
        log.add("renderer Speak " + request.getSessionId() + " " + request.getUtteranceId());
        if (crashOnSpeak) {
            throw new IllegalStateException("boom at com.example.Secret.method(Secret.java:42)");
        }
        if (strictSessions && !openSessions.contains(request.getSessionId())) {
            response.onError(Status.NOT_FOUND.withDescription("no session " + request.getSessionId()
                    + " is open on this renderer").asRuntimeException());
            return;
        }
        spoken.add(request);
        response.onNext(RendererSpeakResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** What one SpeakAudio call delivered. */
    public static final class AudioUpload {
        public volatile RendererSpeakAudioStart start;
        public final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        public volatile boolean completed;
        public volatile boolean cancelled;
        /** Chunks delivered so far. */
        public final java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
        private volatile io.grpc.stub.ServerCallStreamObserver<RendererSpeakResponse> call;

        /** With {@link #holdUploads}: asks signaling for {@code n} more messages. */
        public void request(int n) {
            call.request(n);
        }
    }

    public final List<AudioUpload> audioUploads = new CopyOnWriteArrayList<>();
    /**
     * Uploads request messages by hand: the start only, then whatever the test asks for with
     * {@link AudioUpload#request} (a renderer whose intake is full).
     */
    public volatile boolean holdUploads;
    /** Uploads end at their start with what the real renderer answers an upload idle for 20 s. */
    public volatile boolean stallUploads;

    /** Accepts any PCM; with wav=true, refuses a first chunk that does not start with RIFF, as the real renderer does. */
    @Override
    public StreamObserver<RendererSpeakAudioRequest> speakAudio(StreamObserver<RendererSpeakResponse> response) {
        AudioUpload upload = new AudioUpload();
        if (holdUploads) {
            upload.call = (io.grpc.stub.ServerCallStreamObserver<RendererSpeakResponse>) response;
            upload.call.disableAutoRequest();
            upload.call.request(1);
        }
        return new StreamObserver<>() {
            boolean failed;

            @Override
            public void onNext(RendererSpeakAudioRequest request) {
                if (failed) {
                    return;
                }
                if (request.hasStart()) {
                    upload.start = request.getStart();
                    log.add("renderer SpeakAudio " + upload.start.getSessionId() + " " + upload.start.getUtteranceId());
                    audioUploads.add(upload);
                    if (stallUploads) {
                        failed = true;
                        response.onError(Status.DEADLINE_EXCEEDED.withDescription("SpeakAudio upload stalled: no message for 20 s; "
                                + "the utterance was ended with the audio received so far").asRuntimeException());
                    }
                    return;
                }
                upload.chunks.incrementAndGet();
                byte[] chunk = request.getChunk().toByteArray();
                if (upload.start.getWav() && upload.bytes.size() == 0 && !new String(chunk, 0, Math.min(4, chunk.length)).equals("RIFF")) {
                    failed = true;
                    response.onError(Status.INVALID_ARGUMENT.withDescription("not a WAV file: expected 'RIFF'").asRuntimeException());
                    return;
                }
                upload.bytes.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable t) {
                upload.cancelled = true;
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    upload.completed = true;
                    response.onNext(RendererSpeakResponse.getDefaultInstance());
                    response.onCompleted();
                }
            }
        };
    }

    @Override
    public void interrupt(RendererInterruptRequest request, StreamObserver<RendererInterruptResponse> response) {
        log.add("renderer Interrupt " + request.getSessionId() + " " + request.getDiscardThroughUtteranceId());
        interrupts.add(request);
        response.onNext(RendererInterruptResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** What ListCatalog answers: avatars "default" (with a 1x1 PNG preview) and "ada", voices default and espeak:de. */
    public static final io.facecast.internal.v1.RendererCatalog CATALOG = io.facecast.internal.v1.RendererCatalog.newBuilder()
            .addAvatars(io.facecast.api.v1.AvatarInfo.newBuilder().setName("default").setWidth(512).setHeight(512)
                    .setIdleFrames(1).setPreviewPng(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G'})))
            .addAvatars(io.facecast.api.v1.AvatarInfo.newBuilder().setName("ada").setWidth(512).setHeight(512).setIdleFrames(4))
            .addVoices(io.facecast.api.v1.VoiceInfo.newBuilder().setName("default").setLanguage("en-us").setBackend("freetts"))
            .addVoices(io.facecast.api.v1.VoiceInfo.newBuilder().setName("espeak:de").setLanguage("de").setBackend("espeak"))
            .build();

    @Override
    public void listCatalog(Empty request, StreamObserver<io.facecast.internal.v1.RendererCatalog> response) {
        log.add("renderer ListCatalog");
        response.onNext(CATALOG);
        response.onCompleted();
    }

    @Override
    public void closeSession(SessionRef request, StreamObserver<Empty> response) {
        log.add("renderer CloseSession " + request.getSessionId());
        openSessions.remove(request.getSessionId());
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }
}
