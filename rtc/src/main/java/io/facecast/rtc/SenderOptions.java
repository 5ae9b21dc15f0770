package io.facecast.rtc;

import java.time.Duration;

/**
 * Tuning of a {@link SendingPeer}.
 *
 * @param icePolicy        ALL, or RELAY to use TURN only
 * @param maxVideoBitrate  upper bound for the video encoder, bits per second; the default bandwidth estimate alone
 *                         lets high-entropy content fall to 10-14 fps, so we set it deliberately
 * @param minVideoBitrate  lower bound for the video encoder, bits per second (0: no bound)
 * @param gatherWait       how long {@code answer()} waits for local ICE gathering so the answer carries candidates;
 *                         candidates found later still trickle through the listener
 * @param preferVp8        order VP8 first in the answer (software VP8 is cheap and every browser decodes it)
 */
public record SenderOptions(IcePolicy icePolicy, int maxVideoBitrate, int minVideoBitrate, Duration gatherWait,
                            boolean preferVp8) {
    public static final int DEFAULT_MAX_VIDEO_BITRATE = 2_500_000;
    public static final int DEFAULT_MIN_VIDEO_BITRATE = 300_000;

    public SenderOptions {
        if (maxVideoBitrate <= 0 || minVideoBitrate < 0 || minVideoBitrate > maxVideoBitrate) {
            throw new IllegalArgumentException("need 0 <= minVideoBitrate <= maxVideoBitrate, maxVideoBitrate > 0");
        }
    }

    public static SenderOptions defaults() {
        return new SenderOptions(IcePolicy.ALL, DEFAULT_MAX_VIDEO_BITRATE, DEFAULT_MIN_VIDEO_BITRATE,
                Duration.ofMillis(500), true);
    }

    public SenderOptions withIcePolicy(IcePolicy policy) {
        return new SenderOptions(policy, maxVideoBitrate, minVideoBitrate, gatherWait, preferVp8);
    }

    public SenderOptions withGatherWait(Duration wait) {
        return new SenderOptions(icePolicy, maxVideoBitrate, minVideoBitrate, wait, preferVp8);
    }
}
