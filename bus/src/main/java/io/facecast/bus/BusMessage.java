package io.facecast.bus;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record on the media bus, typed: one record class per {@link RecordKind}, each with exactly the fields its kind
 * has, named for what they mean. {@link BusCodec} is their one encoding (version 3 writes each kind's own fields).
 * Every message names its session and utterance ({@code utteranceId}: the control API's {@code utterance_id},
 * compared unsigned, see {@link MediaFormat}; 0 for a session's idle material) and when its producer made it
 * ({@code producedNanos}, {@code System.nanoTime()}; 0: let the appender stamp it).
 *
 * <p>Payload arrays are not copied: a producer hands over an array it no longer writes, a reader gets a fresh one.
 */
public sealed interface BusMessage {
    RecordKind kind();
    String sessionId();
    long utteranceId();
    long producedNanos();

    /** The same message stamped with {@code nanos} as its production time. */
    BusMessage producedAt(long nanos);

    /** An even-aligned I420 rectangle of a frame. */
    record Region(int x, int y, int width, int height) {
        public Region {
            if ((x | y | width | height) < 0 || ((x | y | width | height) & 1) != 0) {
                throw new IllegalArgumentException("I420 region must be even and non-negative: " + x + "," + y + " "
                        + width + "x" + height);
            }
        }

        public static Region full(int width, int height) {
            return new Region(0, 0, width, height);
        }
    }

    /**
     * Frame {@code index} of the session's idle loop of {@code loopLength} full I420 frames, shown for {@code hold}
     * consecutive video frames (1..{@link MediaFormat#MAX_IDLE_HOLD}). The loop's period is the sum of the holds; global
     * video frame k shows the loop frame whose span holds k mod period.
     */
    record IdleBase(String sessionId, int index, int loopLength, int hold, int width, int height, int fps,
                    byte[] i420, long producedNanos) implements BusMessage {
        public IdleBase {
            Objects.requireNonNull(sessionId);
            i420 = i420 == null ? new byte[0] : i420;
            // 0 reads as 1 (a loop has a frame, a frame is shown once) in every version, so a record read back from
            // its own encoding is the same record.
            loopLength = loopLength == 0 ? 1 : loopLength;
            hold = hold == 0 ? 1 : hold;
        }
        public RecordKind kind() { return RecordKind.IDLE_BASE; }
        public long utteranceId() { return 0; }
        public IdleBase producedAt(long nanos) {
            return new IdleBase(sessionId, index, loopLength, hold, width, height, fps, i420, nanos);
        }
        @Override public boolean equals(Object o) {
            return o instanceof IdleBase m && sessionId.equals(m.sessionId) && index == m.index
                    && loopLength == m.loopLength && hold == m.hold && width == m.width && height == m.height
                    && fps == m.fps && producedNanos == m.producedNanos && Arrays.equals(i420, m.i420);
        }
        @Override public int hashCode() { return Objects.hash(sessionId, index, loopLength); }
        @Override public String toString() {
            return "IdleBase{" + sessionId + " " + index + "/" + loopLength + " hold " + hold + ", " + width + "x" + height + "}";
        }
    }

    /** An idle animation patch ({@code index} 0: eyes closed) in a {@code frameWidth x frameHeight} frame. */
    record IdleOverlay(String sessionId, int index, int frameWidth, int frameHeight, int fps, Region region,
                       byte[] i420, long producedNanos) implements BusMessage {
        public IdleOverlay {
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(region);
            i420 = i420 == null ? new byte[0] : i420;
        }
        public RecordKind kind() { return RecordKind.IDLE_OVERLAY; }
        public long utteranceId() { return 0; }
        public IdleOverlay producedAt(long nanos) {
            return new IdleOverlay(sessionId, index, frameWidth, frameHeight, fps, region, i420, nanos);
        }
        @Override public boolean equals(Object o) {
            return o instanceof IdleOverlay m && sessionId.equals(m.sessionId) && index == m.index
                    && frameWidth == m.frameWidth && frameHeight == m.frameHeight && fps == m.fps
                    && region.equals(m.region) && producedNanos == m.producedNanos && Arrays.equals(i420, m.i420);
        }
        @Override public int hashCode() { return Objects.hash(sessionId, index, region); }
        @Override public String toString() { return "IdleOverlay{" + sessionId + " " + index + " " + region + "}"; }
    }

    /** An utterance begins: its text, audio format and video format. Its media follows. */
    record SegmentStart(String sessionId, long utteranceId, String text, int sampleRate, int channels, int fps,
                        int frameWidth, int frameHeight, long producedNanos) implements BusMessage {
        public SegmentStart {
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(text);
        }
        public RecordKind kind() { return RecordKind.SEGMENT_START; }
        public SegmentStart producedAt(long nanos) {
            return new SegmentStart(sessionId, utteranceId, text, sampleRate, channels, fps, frameWidth, frameHeight, nanos);
        }
    }

    /** Video frame {@code frame} of the utterance: an I420 region laid over the idle base. */
    record Video(String sessionId, long utteranceId, long frame, int fps, int frameWidth, int frameHeight,
                 Region region, byte[] i420, long producedNanos) implements BusMessage {
        public Video {
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(region);
            i420 = i420 == null ? new byte[0] : i420;
        }
        public RecordKind kind() { return RecordKind.VIDEO; }
        public Video producedAt(long nanos) {
            return new Video(sessionId, utteranceId, frame, fps, frameWidth, frameHeight, region, i420, nanos);
        }
        @Override public boolean equals(Object o) {
            return o instanceof Video m && sessionId.equals(m.sessionId) && utteranceId == m.utteranceId
                    && frame == m.frame && fps == m.fps && frameWidth == m.frameWidth && frameHeight == m.frameHeight
                    && region.equals(m.region) && producedNanos == m.producedNanos && Arrays.equals(i420, m.i420);
        }
        @Override public int hashCode() { return Objects.hash(sessionId, utteranceId, frame); }
        @Override public String toString() { return "Video{" + sessionId + " u" + utteranceId + " #" + frame + " " + region + "}"; }
    }

    /** PCM s16le; {@code firstSample} is the index of its first sample within the utterance. */
    record Audio(String sessionId, long utteranceId, long firstSample, int sampleRate, int channels, byte[] pcm,
                 long producedNanos) implements BusMessage {
        public Audio {
            Objects.requireNonNull(sessionId);
            pcm = pcm == null ? new byte[0] : pcm;
        }
        public RecordKind kind() { return RecordKind.AUDIO; }
        public Audio producedAt(long nanos) {
            return new Audio(sessionId, utteranceId, firstSample, sampleRate, channels, pcm, nanos);
        }
        @Override public boolean equals(Object o) {
            return o instanceof Audio m && sessionId.equals(m.sessionId) && utteranceId == m.utteranceId
                    && firstSample == m.firstSample && sampleRate == m.sampleRate && channels == m.channels
                    && producedNanos == m.producedNanos && Arrays.equals(pcm, m.pcm);
        }
        @Override public int hashCode() { return Objects.hash(sessionId, utteranceId, firstSample); }
        @Override public String toString() { return "Audio{" + sessionId + " u" + utteranceId + " @" + firstSample + " " + pcm.length + "B}"; }
    }

    /**
     * The utterance is complete: {@code totalSamples} and {@code totalFrames}. {@code reason} is empty, or says why it
     * ended early as "CODE: message" with a google.rpc.Code name; the streamer reports it as an Error event once
     * what was rendered has played.
     */
    record SegmentEnd(String sessionId, long utteranceId, long totalSamples, long totalFrames, String reason,
                      long producedNanos) implements BusMessage {
        public SegmentEnd {
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(reason);
        }
        public RecordKind kind() { return RecordKind.SEGMENT_END; }
        public SegmentEnd producedAt(long nanos) {
            return new SegmentEnd(sessionId, utteranceId, totalSamples, totalFrames, reason, nanos);
        }
    }

    /**
     * A word starts: {@code frame} is the utterance's video frame holding the word's first phoneme (written before
     * that frame), {@code firstSample} its first sample, {@code textOffset}/{@code textLength} where it is in the
     * utterance's text (UTF-16 units).
     */
    record WordStarted(String sessionId, long utteranceId, long frame, long firstSample, int textOffset,
                       int textLength, String word, long producedNanos) implements BusMessage {
        public WordStarted {
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(word);
        }
        public RecordKind kind() { return RecordKind.WORD_STARTED; }
        public WordStarted producedAt(long nanos) {
            return new WordStarted(sessionId, utteranceId, frame, firstSample, textOffset, textLength, word, nanos);
        }
    }
}
