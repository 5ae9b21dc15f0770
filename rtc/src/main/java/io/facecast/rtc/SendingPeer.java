package io.facecast.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.SyncClock;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one session: answers a client's receive-only offer and sends pushed audio and video.
 *
 * <p>Both tracks belong to one media stream (id = session id) and both sources share one {@link SyncClock}, so
 * receivers can lip-sync them. The native layer stamps a frame or chunk with the time it is pushed: push each at its
 * presentation time.
 *
 * <p>Threading: one thread pushes media; any threads make control calls. Pushing and {@link #close()} exclude each
 * other, because CustomAudioSource's sink list is not synchronized in webrtc-java 0.14.0.
 */
public final class SendingPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SendingPeer.class);

    private final PeerConnectionFactory factory;
    private final String sessionId;
    private final int width;
    private final int height;
    private final int fps;
    private final SenderOptions options;
    private final PeerListener listener;

    private final SyncClock clock;
    private final CustomVideoSource videoSource;
    private final CustomAudioSource audioSource;
    private final VideoTrack videoTrack;
    private final AudioTrack audioTrack;
    private final RTCPeerConnection pc;

    /** Serializes signaling calls and close(); always taken before {@link #media}. */
    private final Object control = new Object();
    /** Held while pushing and while disposing, never both at once. */
    private final ReentrantLock media = new ReentrantLock();
    private final CountDownLatch gatheringComplete = new CountDownLatch(1);
    /** Counted down at gathering COMPLETE, or at the first candidate that makes the answer enough (see below). */
    private final CountDownLatch answerReady = new CountDownLatch(1);
    /** No ICE servers and not relay-only: the host candidates are all a client can ever use. */
    private final boolean hostCandidatesSuffice;
    private final List<RTCIceCandidate> pendingCandidates = new ArrayList<>();

    private volatile boolean closed;
    private boolean answered;
    /** The native frame pushed last, for {@link #repeatVideo}; guarded by {@link #media}, released at close. */
    private NativeI420Buffer lastVideo;

    public SendingPeer(PeerConnectionFactory factory, String sessionId, List<IceServerConfig> iceServers,
                       int width, int height, int fps, PeerListener listener) {
        this(factory, sessionId, iceServers, width, height, fps, listener, SenderOptions.defaults());
    }

    public SendingPeer(PeerConnectionFactory factory, String sessionId, List<IceServerConfig> iceServers,
                       int width, int height, int fps, PeerListener listener, SenderOptions options) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("session id must not be blank");
        }
        if (width <= 0 || height <= 0 || fps <= 0) {
            throw new IllegalArgumentException("bad video format " + width + "x" + height + "@" + fps);
        }
        this.factory = factory;
        this.sessionId = sessionId;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.options = options;
        this.listener = listener == null ? PeerListener.NONE : listener;

        this.hostCandidatesSuffice = iceServers.isEmpty() && options.icePolicy() != IcePolicy.RELAY;
        this.clock = MonotonicSyncClock.create();
        this.videoSource = new CustomVideoSource(clock);
        this.audioSource = new CustomAudioSource(clock);
        this.videoTrack = factory.createVideoTrack("video-" + sessionId, videoSource);
        this.audioTrack = factory.createAudioTrack("audio-" + sessionId, audioSource);
        this.pc = factory.createPeerConnection(RtcConfigurations.build(iceServers, options.icePolicy(), options.udpPorts()),
                new Observer());
        if (pc == null) {
            disposeMedia();
            throw new RtcException("the native layer refused to create a peer connection");
        }
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Answers a client's offer (audio and video, typically receive-only): sets it, attaches our tracks, and returns
     * the answer SDP, which carries the ICE candidates gathered within {@link SenderOptions#gatherWait()}. Later
     * candidates go to {@link PeerListener#onLocalCandidate}. One negotiation per peer.
     *
     * @throws InvalidSdpException the offer is malformed or lacks audio or video
     * @throws IllegalStateException already answered or closed
     */
    public String answer(String offerSdp) throws InvalidSdpException {
        synchronized (control) {
            requireOpen();
            if (answered) {
                throw new IllegalStateException("session " + sessionId + " is already negotiated; renegotiation "
                        + "is not supported, close it and create a new one");
            }
            SdpChecks.requireOfferWithAudioAndVideo(offerSdp);
            String offer = OpusFmtp.apply(offerSdp, options.opusParams());
            long t0 = System.nanoTime();
            try {
                NativeCalls.set(o -> pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer), o),
                        "setRemoteDescription");
            } catch (NativeCalls.NativeFailure e) {
                throw new InvalidSdpException("SDP offer rejected: " + e.getMessage());
            }
            long tRemote = System.nanoTime();
            RTCRtpSender audioSender = pc.addTrack(audioTrack, List.of(sessionId));
            RTCRtpSender videoSender = pc.addTrack(videoTrack, List.of(sessionId));
            if (audioSender == null || videoSender == null) {
                throw new RtcException("could not attach the media tracks to the peer connection");
            }
            if (!options.videoCodec().isEmpty()) {
                preferCodec(options.videoCodec());
            }
            RTCSessionDescription answer;
            long tTracks = System.nanoTime();
            try {
                answer = NativeCalls.create(o -> pc.createAnswer(new RTCAnswerOptions(), o), "createAnswer");
            } catch (NativeCalls.NativeFailure e) {
                throw new InvalidSdpException("cannot answer the SDP offer: " + e.getMessage());
            }
            long tCreate = System.nanoTime();
            try {
                NativeCalls.set(o -> pc.setLocalDescription(answer, o), "setLocalDescription");
            } catch (NativeCalls.NativeFailure e) {
                throw new RtcException("setting the local answer failed: " + e.getMessage());
            }
            boundVideoBitrate(videoSender);
            answered = true;
            for (RTCIceCandidate candidate : pendingCandidates) {
                try {
                    pc.addIceCandidate(candidate);
                } catch (Error e) {
                    // libwebrtc refused a queued candidate the line checks let through: skip it, keep the answer.
                    log.warn("ignoring an ICE candidate libwebrtc refused: {}", e.getMessage());
                }
            }
            pendingCandidates.clear();
            long tLocal = System.nanoTime();
            awaitGathering();
            long tGather = System.nanoTime();
            log.debug("session {} answered: setRemoteDescription {} ms, tracks {} ms, createAnswer {} ms, "
                    + "setLocalDescription {} ms, candidates {} ms", sessionId,
                    (tRemote - t0) / 1_000_000, (tTracks - tRemote) / 1_000_000, (tCreate - tTracks) / 1_000_000,
                    (tLocal - tCreate) / 1_000_000, (tGather - tLocal) / 1_000_000);
            RTCSessionDescription local = pc.getLocalDescription();
            return local != null ? local.sdp : answer.sdp;
        }
    }

    /**
     * Adds a remote (client) ICE candidate; before the offer is answered it is queued. An empty candidate means
     * "end of candidates" and is ignored.
     *
     * @throws InvalidSdpException the candidate line is malformed
     */
    public void addRemoteCandidate(String sdpMid, int sdpMLineIndex, String candidate) throws InvalidSdpException {
        if (candidate != null && candidate.isBlank()) {
            return;
        }
        String line = SdpChecks.normalizeCandidate(candidate);
        RTCIceCandidate ice = new RTCIceCandidate(sdpMid, sdpMLineIndex, line);
        synchronized (control) {
            requireOpen();
            if (answered) {
                try {
                    pc.addIceCandidate(ice);
                } catch (Error e) {
                    // webrtc-java reports a refused candidate as java.lang.Error; it is the client's input, not a crash.
                    throw new InvalidSdpException("ICE candidate was refused by WebRTC (" + e.getMessage() + "): \""
                            + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "\"");
                }
            } else {
                pendingCandidates.add(ice);
            }
        }
    }

    /**
     * Sends one video frame now. {@code i420} is tightly packed I420 (Y plane, then U, then V).
     *
     * @return false if the peer is closed (the frame is dropped)
     */
    public boolean pushVideo(byte[] i420, int frameWidth, int frameHeight) {
        media.lock();
        try {
            if (closed) {
                return false;
            }
            NativeI420Buffer buffer = I420Frames.toNative(i420, frameWidth, frameHeight);
            try {
                videoSource.pushFrame(new VideoFrame(buffer, System.nanoTime()));
            } finally {
                keepLast(buffer);
            }
            return true;
        } finally {
            media.unlock();
        }
    }

    /**
     * Sends the same picture as the last frame again, now: the native frame pushed last is pushed once more, with
     * no copy and no allocation (a native frame is never written after it was pushed, so sharing it with the encoder
     * is safe). {@code i420} is that picture, used as in {@link #pushVideo} when there is no last frame of this size.
     * The receiver still gets every frame (its frame rate stays); only the copying is saved.
     *
     * @return false if the peer is closed (the frame is dropped)
     */
    public boolean repeatVideo(byte[] i420, int frameWidth, int frameHeight) {
        media.lock();
        try {
            if (closed) {
                return false;
            }
            NativeI420Buffer buffer = lastVideo;
            if (buffer == null || buffer.getWidth() != frameWidth || buffer.getHeight() != frameHeight) {
                return pushVideo(i420, frameWidth, frameHeight);
            }
            videoSource.pushFrame(new VideoFrame(buffer, System.nanoTime())); // our reference stays ours
            return true;
        } finally {
            media.unlock();
        }
    }

    /** Holds our reference to the frame pushed last (the native layer holds its own while it encodes). */
    private void keepLast(NativeI420Buffer buffer) {
        NativeI420Buffer old = lastVideo;
        lastVideo = buffer;
        if (old != null) {
            old.release();
        }
    }

    /**
     * Sends exactly 10 ms of signed 16-bit little-endian PCM now (e.g. 480 frames at 48 kHz). Other chunk lengths
     * are rejected: the native layer silently drops them.
     *
     * @return false if the peer is closed (the chunk is dropped)
     */
    public boolean pushAudio(byte[] pcm, int sampleRate, int channels) {
        if (sampleRate <= 0 || sampleRate % 100 != 0 || channels < 1 || channels > 2) {
            throw new IllegalArgumentException("unsupported audio format: " + sampleRate + " Hz, " + channels
                    + " channels");
        }
        int frames = sampleRate / 100;
        int expected = frames * channels * 2;
        if (pcm.length != expected) {
            throw new IllegalArgumentException("audio chunk must be exactly 10 ms: " + expected + " bytes at "
                    + sampleRate + " Hz x " + channels + " channels, got " + pcm.length);
        }
        media.lock();
        try {
            if (closed) {
                return false;
            }
            audioSource.pushAudio(pcm, 16, sampleRate, channels, frames);
            return true;
        } finally {
            media.unlock();
        }
    }

    /** Current outbound statistics (blocks up to a few seconds for the native layer). */
    public SenderStats stats() {
        RTCStatsReport report;
        synchronized (control) {
            requireOpen();
            report = NativeCalls.stats(pc);
        }
        Optional<RTCStats> video = StatsValues.find(report, RTCStatsType.OUTBOUND_RTP, "video");
        Optional<RTCStats> audio = StatsValues.find(report, RTCStatsType.OUTBOUND_RTP, "audio");
        return new SenderStats(
                StatsValues.longOf(video, "framesSent"),
                StatsValues.longOf(video, "framesEncoded"),
                StatsValues.longOf(video, "bytesSent"),
                StatsValues.doubleOf(video, "framesPerSecond"),
                StatsValues.stringOf(video, "qualityLimitationReason"),
                StatsValues.longOf(audio, "packetsSent"),
                StatsValues.longOf(audio, "bytesSent"),
                StatsValues.longOf(video, "packetsSent"),
                StatsValues.longOf(video, "retransmittedPacketsSent"),
                StatsValues.longOf(video, "nackCount"),
                StatsValues.longOf(video, "pliCount"),
                StatsValues.longOf(video, "firCount"),
                StatsValues.doubleOf(video, "totalEncodeTime"));
    }

    public boolean isClosed() {
        return closed;
    }

    /** Frees the peer connection, tracks and sources. Idempotent; do not push concurrently expecting delivery. */
    @Override
    public void close() {
        synchronized (control) {
            media.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                // Detach the tracks from their senders, then close: only then are the tracks ours alone to dispose.
                for (RTCRtpSender sender : senders()) {
                    quietly("remove track", () -> pc.removeTrack(sender));
                }
                quietly("close peer connection", pc::close);
                disposeMedia();
            } finally {
                media.unlock();
            }
        }
        RtcEvents.dispatch("closed", () -> listener.onConnectionState(PeerState.CLOSED));
    }

    private void disposeMedia() {
        NativeI420Buffer last = lastVideo;
        lastVideo = null;
        if (last != null) {
            quietly("release the last video frame", last::release);
        }
        quietly("dispose video track", videoTrack::dispose);
        quietly("dispose audio track", audioTrack::dispose);
        quietly("dispose video source", videoSource::dispose);
        quietly("dispose audio source", audioSource::dispose);
        quietly("dispose clock", clock::dispose);
    }

    private List<RTCRtpSender> senders() {
        try {
            return List.of(pc.getSenders());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void preferCodec(String name) {
        try {
            for (RTCRtpTransceiver transceiver : pc.getTransceivers()) {
                if (transceiver.getSender() != null && transceiver.getSender().getTrack() != null
                        && "video".equals(transceiver.getSender().getTrack().getKind())) {
                    List<RTCRtpCodecCapability> codecs = new ArrayList<>(
                            factory.getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs());
                    // Stable sort: the chosen codec first, the rest (including rtx/red/fec) keep their order.
                    codecs.sort((a, b) -> Boolean.compare(!name.equalsIgnoreCase(a.getName()),
                            !name.equalsIgnoreCase(b.getName())));
                    transceiver.setCodecPreferences(codecs);
                }
            }
        } catch (RuntimeException e) {
            log.warn("session {}: could not prefer {}, keeping the offer's codec order: {}", sessionId, name,
                    e.getMessage());
        }
    }

    private void boundVideoBitrate(RTCRtpSender videoSender) {
        try {
            RTCRtpSendParameters parameters = videoSender.getParameters();
            for (RTCRtpEncodingParameters encoding : parameters.encodings) {
                encoding.maxBitrate = options.maxVideoBitrate();
                if (options.minVideoBitrate() > 0) {
                    encoding.minBitrate = options.minVideoBitrate();
                }
                encoding.maxFramerate = (double) fps;
            }
            videoSender.setParameters(parameters);
        } catch (RuntimeException e) {
            log.warn("session {}: could not set video bitrate bounds: {}", sessionId, e.getMessage());
        }
    }

    /**
     * Waits until the answer can carry what the client needs: every candidate (gathering complete), or, where host
     * candidates are all there will ever be (no STUN/TURN servers), the first UDP host candidate plus
     * {@link #HOST_SETTLE_MS} for its siblings (libwebrtc gathers every interface's host candidates in one pass, then
     * still takes a few hundred ms to declare gathering complete, which a browser would spend waiting for the
     * answer). WHEP has no server-to-client trickle, so nothing useful may be left out.
     */
    private void awaitGathering() {
        if (options.gatherWait().isZero() || options.gatherWait().isNegative()) {
            return;
        }
        try {
            answerReady.await(options.gatherWait().toMillis(), TimeUnit.MILLISECONDS);
            if (gatheringComplete.getCount() > 0) {
                gatheringComplete.await(HOST_SETTLE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (gatheringComplete.getCount() > 0) {
            log.debug("session {}: answering with the host candidates; gathering goes on", sessionId);
        }
    }

    /** After the first UDP host candidate, how long the answer waits for the other interfaces' host candidates. */
    static final long HOST_SETTLE_MS = 15;

    /** A UDP host candidate line, e.g. "candidate:1 1 udp 2122194687 192.0.2.2 44159 typ host ...". */
    static boolean isUdpHost(String candidate) {
        String[] f = candidate == null ? new String[0] : candidate.trim().split("\\s+");
        return f.length >= 8 && f[2].equalsIgnoreCase("udp") && f[6].equals("typ") && f[7].equals("host");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("session " + sessionId + ": peer is closed");
        }
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            // webrtc-java reports a still-referenced native object with java.lang.Error; closing must go on.
            log.warn("session {}: {} failed", sessionId, what, e);
        }
    }

    @Override
    public String toString() {
        return "SendingPeer[" + sessionId + " " + width + "x" + height + "@" + fps + (closed ? " closed" : "") + "]";
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            if (hostCandidatesSuffice && isUdpHost(candidate.sdp)) {
                answerReady.countDown();
            }
            if (!closed) {
                RtcEvents.dispatch("local candidate", () -> listener.onLocalCandidate(candidate.sdpMid,
                        candidate.sdpMLineIndex, candidate.sdp));
            }
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            if (state == RTCIceGatheringState.COMPLETE) {
                gatheringComplete.countDown();
                answerReady.countDown();
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            log.debug("session {}: connection {}", sessionId, state);
            // close() reports CLOSED itself; events raced in after it are stale.
            if (!closed && state != RTCPeerConnectionState.CLOSED) {
                RtcEvents.dispatch("state " + state, () -> listener.onConnectionState(PeerState.of(state)));
            }
        }
    }
}
