package io.facecast.rtc;

/**
 * What a {@link SendingPeer}'s outbound streams report. {@code qualityLimitationReason} is "none", "bandwidth" or
 * "cpu"; anything but "none" means the encoder is dropping frames or resolution. Retransmits, NACK/PLI/FIR counts
 * (feedback the receiver sent) and the encoder's total time are cumulative, as webrtc's outbound-rtp stats give them.
 */
public record SenderStats(
        long videoFramesSent,
        long videoFramesEncoded,
        long videoBytesSent,
        double videoFramesPerSecond,
        String qualityLimitationReason,
        long audioPacketsSent,
        long audioBytesSent,
        long videoPacketsSent,
        long videoRetransmittedPackets,
        long videoNackCount,
        long videoPliCount,
        long videoFirCount,
        double videoTotalEncodeSeconds) {

    /** The fields the first version had (the RTCP feedback and encoder counters read 0). */
    public SenderStats(long videoFramesSent, long videoFramesEncoded, long videoBytesSent, double videoFramesPerSecond,
                       String qualityLimitationReason, long audioPacketsSent, long audioBytesSent) {
        this(videoFramesSent, videoFramesEncoded, videoBytesSent, videoFramesPerSecond, qualityLimitationReason,
                audioPacketsSent, audioBytesSent, 0, 0, 0, 0, 0, 0);
    }
}
