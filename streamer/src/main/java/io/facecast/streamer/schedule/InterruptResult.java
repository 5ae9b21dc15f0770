package io.facecast.streamer.schedule;

/**
 * What an interrupt cut: the utterance that was on air (0 when none was) and how far into it playback had got.
 */
public record InterruptResult(long utteranceId, long positionMs) {
    public static final InterruptResult NOTHING_CUT = new InterruptResult(0, 0);
}
