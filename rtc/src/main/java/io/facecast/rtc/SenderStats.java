package io.facecast.rtc;

/**
 * What a {@link SendingPeer}'s outbound streams report. {@code qualityLimitationReason} is "none", "bandwidth" or
 * "cpu"; anything but "none" means the encoder is dropping frames or resolution.
 */
public record SenderStats(
        long videoFramesSent,
        long videoFramesEncoded,
        long videoBytesSent,
        double videoFramesPerSecond,
        String qualityLimitationReason,
        long audioPacketsSent,
        long audioBytesSent) {
}
