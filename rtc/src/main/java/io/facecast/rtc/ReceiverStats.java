package io.facecast.rtc;

/**
 * What a {@link ReceivingPeer}'s inbound streams report. Jitter is in seconds, as in the W3C stats. The video SSRC
 * (0 until video arrived) is how the stream's packets are found in a packet capture.
 */
public record ReceiverStats(
        long videoFramesReceived,
        long videoFramesDecoded,
        long videoFramesDropped,
        long videoPacketsLost,
        double videoJitterSeconds,
        long audioPacketsReceived,
        long audioPacketsLost,
        double audioJitterSeconds,
        long audioConcealedSamples,
        long videoSsrc) {
}
