package io.facecast.rtc;

import java.time.Duration;
import java.util.Locale;

/**
 * Tuning of a {@link SendingPeer}.
 *
 * @param icePolicy        ALL, or RELAY to use TURN only
 * @param maxVideoBitrate  upper bound for the video encoder, bits per second; the default bandwidth estimate alone
 *                         lets high-entropy content fall to 10-14 fps, so we set it deliberately
 * @param minVideoBitrate  lower bound for the video encoder, bits per second (0: no bound)
 * @param gatherWait       how long {@code answer()} waits for local ICE gathering so the answer carries candidates;
 *                         candidates found later still trickle through the listener
 * @param videoCodec       the video codec ordered first in the answer ("VP8", "H264", "VP9", "AV1"), when the offer
 *                         has it; empty keeps the offer's order. VP8 by default: software VP8 is cheap and every
 *                         browser decodes it (figures in docs/performance.md)
 * @param udpPorts         the local UDP ports media may use ({@link UdpPortRange#ANY}: ephemeral ports)
 * @param opusParams       Opus encoder settings set on the offer's Opus format parameters ({@link OpusFmtp}); empty:
 *                         as the client offered
 * @param videoEncoderNice the nice value of libwebrtc's video encoder threads ({@link EncoderThreadPriority}), 0 to 19;
 *                         0 leaves them at the process's
 */
public record SenderOptions(IcePolicy icePolicy, int maxVideoBitrate, int minVideoBitrate, Duration gatherWait,
                            String videoCodec, UdpPortRange udpPorts, java.util.Map<String, String> opusParams,
                            int videoEncoderNice) {
    public static final int DEFAULT_MAX_VIDEO_BITRATE = 2_500_000;
    public static final int DEFAULT_MIN_VIDEO_BITRATE = 300_000;
    public static final String DEFAULT_VIDEO_CODEC = "VP8";
    /** Opus settings by default: none (as the client offered). */
    public static final java.util.Map<String, String> DEFAULT_OPUS_PARAMS = java.util.Map.of();
    /** Video encoders below the audio path by default (docs/performance.md, rule 3). */
    public static final int DEFAULT_VIDEO_ENCODER_NICE = 10;

    public SenderOptions {
        if (maxVideoBitrate <= 0 || minVideoBitrate < 0 || minVideoBitrate > maxVideoBitrate) {
            throw new IllegalArgumentException("need 0 <= minVideoBitrate <= maxVideoBitrate, maxVideoBitrate > 0");
        }
        videoCodec = videoCodec == null ? "" : videoCodec.trim().toUpperCase(Locale.ROOT);
        udpPorts = udpPorts == null ? UdpPortRange.ANY : udpPorts;
        opusParams = opusParams == null ? java.util.Map.of() : java.util.Map.copyOf(opusParams);
        if (videoEncoderNice < 0 || videoEncoderNice > EncoderThreadPriority.MAX_NICE) {
            throw new IllegalArgumentException("videoEncoderNice must be 0 to " + EncoderThreadPriority.MAX_NICE);
        }
    }

    public SenderOptions(IcePolicy icePolicy, int maxVideoBitrate, int minVideoBitrate, Duration gatherWait,
                         String videoCodec, UdpPortRange udpPorts) {
        this(icePolicy, maxVideoBitrate, minVideoBitrate, gatherWait, videoCodec, udpPorts, java.util.Map.of(),
                DEFAULT_VIDEO_ENCODER_NICE);
    }

    public static SenderOptions defaults() {
        return new SenderOptions(IcePolicy.ALL, DEFAULT_MAX_VIDEO_BITRATE, DEFAULT_MIN_VIDEO_BITRATE,
                Duration.ofMillis(500), DEFAULT_VIDEO_CODEC, UdpPortRange.ANY, DEFAULT_OPUS_PARAMS,
                DEFAULT_VIDEO_ENCODER_NICE);
    }

    /** Whether VP8 is ordered first (the default). */
    public boolean preferVp8() {
        return "VP8".equals(videoCodec);
    }

    public SenderOptions withIcePolicy(IcePolicy policy) {
        return new SenderOptions(policy, maxVideoBitrate, minVideoBitrate, gatherWait, videoCodec, udpPorts, opusParams,
                videoEncoderNice);
    }

    public SenderOptions withGatherWait(Duration wait) {
        return new SenderOptions(icePolicy, maxVideoBitrate, minVideoBitrate, wait, videoCodec, udpPorts, opusParams,
                videoEncoderNice);
    }

    public SenderOptions withVideoBitrate(int min, int max) {
        return new SenderOptions(icePolicy, max, min, gatherWait, videoCodec, udpPorts, opusParams,
                videoEncoderNice);
    }

    public SenderOptions withVideoCodec(String codec) {
        return new SenderOptions(icePolicy, maxVideoBitrate, minVideoBitrate, gatherWait, codec, udpPorts, opusParams,
                videoEncoderNice);
    }

    public SenderOptions withUdpPorts(UdpPortRange ports) {
        return new SenderOptions(icePolicy, maxVideoBitrate, minVideoBitrate, gatherWait, videoCodec, ports, opusParams,
                videoEncoderNice);
    }

    public SenderOptions withOpusParams(java.util.Map<String, String> params) {
        return new SenderOptions(icePolicy, maxVideoBitrate, minVideoBitrate, gatherWait, videoCodec, udpPorts, params,
                videoEncoderNice);
    }

    public SenderOptions withVideoEncoderNice(int nice) {
        return new SenderOptions(icePolicy, maxVideoBitrate, minVideoBitrate, gatherWait, videoCodec, udpPorts,
                opusParams, nice);
    }
}
