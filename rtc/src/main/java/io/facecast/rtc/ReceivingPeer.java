package io.facecast.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side: offers to receive one audio and one video track and hands what is decoded to a
 * {@link MediaListener}. Make it from {@link PeerFactories#forReceiving()}, whose started playout is what makes
 * received audio reach the listener.
 */
public final class ReceivingPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReceivingPeer.class);
    private static final Duration GATHER_WAIT = Duration.ofMillis(500);

    private final PeerListener listener;
    private final MediaListener media;
    private final LongSupplier nanoTime;
    private final RTCPeerConnection pc;
    private final Object control = new Object();
    private final CountDownLatch gatheringComplete = new CountDownLatch(1);
    private final List<RTCIceCandidate> pendingCandidates = new ArrayList<>();
    private final VideoSink videoSink = new VideoSink();
    private final AudioSink audioSink = new AudioSink();

    // Receive-only transceivers still need a track in webrtc-java 0.14.0 (no addTransceiver(kind)); these never send.
    private final CustomVideoSource placeholderVideoSource;
    private final VideoTrack placeholderVideoTrack;
    private final AudioTrackSource placeholderAudioSource;
    private final AudioTrack placeholderAudioTrack;

    private final List<VideoTrack> remoteVideo = new ArrayList<>();
    private final List<AudioTrack> remoteAudio = new ArrayList<>();

    private volatile boolean closed;
    private boolean offered;
    private boolean answered;

    public ReceivingPeer(PeerConnectionFactory factory, List<IceServerConfig> iceServers, PeerListener listener,
                         MediaListener media) {
        this(factory, iceServers, IcePolicy.ALL, listener, media, System::nanoTime);
    }

    public ReceivingPeer(PeerConnectionFactory factory, List<IceServerConfig> iceServers, IcePolicy policy,
                         PeerListener listener, MediaListener media, LongSupplier nanoTime) {
        this.listener = listener == null ? PeerListener.NONE : listener;
        this.media = media;
        this.nanoTime = nanoTime;
        RTCConfiguration config = RtcConfigurations.build(iceServers, policy);
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        this.placeholderVideoSource = new CustomVideoSource();
        this.placeholderVideoTrack = factory.createVideoTrack("recv-placeholder-video", placeholderVideoSource);
        this.placeholderAudioSource = factory.createAudioSource(new AudioOptions());
        this.placeholderAudioTrack = factory.createAudioTrack("recv-placeholder-audio", placeholderAudioSource);
        this.pc = factory.createPeerConnection(config, new Observer());
        if (pc == null) {
            disposePlaceholders();
            throw new RtcException("the native layer refused to create a peer connection");
        }
    }

    /** Creates and sets the receive-only offer (audio, then video) and returns its SDP. Call once. */
    public String createOffer() {
        synchronized (control) {
            requireOpen();
            if (offered) {
                throw new IllegalStateException("offer already created");
            }
            addReceiveOnly(placeholderAudioTrack);
            addReceiveOnly(placeholderVideoTrack);
            RTCSessionDescription offer;
            try {
                offer = NativeCalls.create(o -> pc.createOffer(new RTCOfferOptions(), o), "createOffer");
                NativeCalls.set(o -> pc.setLocalDescription(offer, o), "setLocalDescription");
            } catch (NativeCalls.NativeFailure e) {
                throw new RtcException("creating the offer failed: " + e.getMessage());
            }
            offered = true;
            try {
                gatheringComplete.await(GATHER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RTCSessionDescription local = pc.getLocalDescription();
            return local != null ? local.sdp : offer.sdp;
        }
    }

    /**
     * Sets the remote answer.
     *
     * @throws InvalidSdpException the answer is malformed or does not fit the offer
     */
    public void setAnswer(String answerSdp) throws InvalidSdpException {
        synchronized (control) {
            requireOpen();
            if (!offered) {
                throw new IllegalStateException("createOffer() first");
            }
            if (answered) {
                throw new IllegalStateException("answer already set");
            }
            SdpChecks.requireAnswer(answerSdp);
            try {
                NativeCalls.set(o -> pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, answerSdp),
                        o), "setRemoteDescription");
            } catch (NativeCalls.NativeFailure e) {
                throw new InvalidSdpException("SDP answer rejected: " + e.getMessage());
            }
            answered = true;
            for (RTCIceCandidate candidate : pendingCandidates) {
                pc.addIceCandidate(candidate);
            }
            pendingCandidates.clear();
        }
    }

    /** Adds a remote ICE candidate; queued until the answer is set. An empty candidate is ignored. */
    public void addRemoteCandidate(String sdpMid, int sdpMLineIndex, String candidate) throws InvalidSdpException {
        if (candidate != null && candidate.isBlank()) {
            return;
        }
        RTCIceCandidate ice = new RTCIceCandidate(sdpMid, sdpMLineIndex, SdpChecks.normalizeCandidate(candidate));
        synchronized (control) {
            requireOpen();
            if (answered) {
                pc.addIceCandidate(ice);
            } else {
                pendingCandidates.add(ice);
            }
        }
    }

    public ReceiverStats stats() {
        RTCStatsReport report;
        synchronized (control) {
            requireOpen();
            report = NativeCalls.stats(pc);
        }
        Optional<RTCStats> video = StatsValues.find(report, RTCStatsType.INBOUND_RTP, "video");
        Optional<RTCStats> audio = StatsValues.find(report, RTCStatsType.INBOUND_RTP, "audio");
        return new ReceiverStats(
                StatsValues.longOf(video, "framesReceived"),
                StatsValues.longOf(video, "framesDecoded"),
                StatsValues.longOf(video, "framesDropped"),
                StatsValues.longOf(video, "packetsLost"),
                StatsValues.doubleOf(video, "jitter"),
                StatsValues.longOf(audio, "packetsReceived"),
                StatsValues.longOf(audio, "packetsLost"),
                StatsValues.doubleOf(audio, "jitter"),
                StatsValues.longOf(audio, "concealedSamples"),
                StatsValues.longOf(video, "ssrc"));
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops delivery and frees the connection. Idempotent. */
    @Override
    public void close() {
        synchronized (control) {
            if (closed) {
                return;
            }
            closed = true;
            List<VideoTrack> videos;
            synchronized (remoteVideo) {
                videos = List.copyOf(remoteVideo);
            }
            List<AudioTrack> audios;
            synchronized (remoteAudio) {
                audios = List.copyOf(remoteAudio);
            }
            for (VideoTrack track : videos) {
                quietly("remove video sink", () -> track.removeSink(videoSink));
            }
            for (AudioTrack track : audios) {
                quietly("remove audio sink", () -> track.removeSink(audioSink));
            }
            try {
                for (RTCRtpSender sender : pc.getSenders()) {
                    quietly("remove placeholder track", () -> pc.removeTrack(sender));
                }
            } catch (RuntimeException e) {
                log.warn("listing senders failed", e);
            }
            quietly("close peer connection", pc::close);
            disposePlaceholders();
        }
        RtcEvents.dispatch("closed", () -> listener.onConnectionState(PeerState.CLOSED));
    }

    private void addReceiveOnly(MediaStreamTrack placeholder) {
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
        RTCRtpTransceiver transceiver = pc.addTransceiver(placeholder, init);
        if (transceiver == null) {
            throw new RtcException("could not add a receive-only " + placeholder.getKind() + " transceiver");
        }
    }

    private void disposePlaceholders() {
        quietly("dispose placeholder video track", placeholderVideoTrack::dispose);
        quietly("dispose placeholder audio track", placeholderAudioTrack::dispose);
        quietly("dispose placeholder video source", placeholderVideoSource::dispose);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("receiving peer is closed");
        }
    }

    private static void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            // webrtc-java reports a still-referenced native object with java.lang.Error; closing must go on.
            log.warn("{} failed", what, e);
        }
    }

    private final class VideoSink implements VideoTrackSink {
        @Override
        public void onVideoFrame(VideoFrame frame) {
            long arrival = nanoTime.getAsLong();
            try {
                if (closed) {
                    return;
                }
                I420Buffer i420 = frame.buffer.toI420();
                byte[] packed;
                try {
                    packed = I420Frames.toPacked(i420);
                } finally {
                    if (i420 != frame.buffer) {
                        i420.release();
                    }
                }
                media.onVideoFrame(packed, i420.getWidth(), i420.getHeight(), arrival, frame.timestampNs);
            } catch (RuntimeException e) {
                log.warn("dropping a received video frame", e);
            } finally {
                frame.release();
            }
        }
    }

    private final class AudioSink implements AudioTrackSink {
        @Override
        public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
            long arrival = nanoTime.getAsLong();
            if (closed || bitsPerSample != 16 || channels < 1) {
                return;
            }
            try {
                media.onAudio(downmix(data, channels, frames), sampleRate, arrival);
            } catch (RuntimeException e) {
                log.warn("dropping received audio", e);
            }
        }

        private byte[] downmix(byte[] data, int channels, int frames) {
            byte[] mono = new byte[frames * 2];
            for (int i = 0; i < frames; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    int at = (i * channels + c) * 2;
                    sum += (short) ((data[at] & 0xff) | (data[at + 1] << 8));
                }
                int sample = sum / channels;
                mono[2 * i] = (byte) sample;
                mono[2 * i + 1] = (byte) (sample >> 8);
            }
            return mono;
        }
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            if (!closed) {
                RtcEvents.dispatch("local candidate", () -> listener.onLocalCandidate(candidate.sdpMid,
                        candidate.sdpMLineIndex, candidate.sdp));
            }
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            if (state == RTCIceGatheringState.COMPLETE) {
                gatheringComplete.countDown();
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (!closed && state != RTCPeerConnectionState.CLOSED) {
                RtcEvents.dispatch("state " + state, () -> listener.onConnectionState(PeerState.of(state)));
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            // Runs on the signaling thread during setRemoteDescription, while setAnswer holds the control lock.
            if (track instanceof VideoTrack video) {
                video.addSink(videoSink);
                synchronized (remoteVideo) {
                    remoteVideo.add(video);
                }
            } else if (track instanceof AudioTrack audio) {
                audio.addSink(audioSink);
                synchronized (remoteAudio) {
                    remoteAudio.add(audio);
                }
            }
        }
    }
}
