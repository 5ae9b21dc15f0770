package io.facecast.bus;

/** What a bus record carries. The numeric codes are part of the on-disk format: never renumber. */
public enum RecordKind {
    /**
     * Full I420 frame of the session's avatar at rest ({@link BusMessage.IdleBase}); the streamer composes idle
     * video from it. An idle loop is N such records, index 0..N-1, each held for its hold count of video frames.
     */
    IDLE_BASE(1),
    /** An I420 patch for idle animation (index 0 = eyes closed), laid over {@link #IDLE_BASE} ({@link BusMessage.IdleOverlay}). */
    IDLE_OVERLAY(2),
    /** An utterance begins: text, audio rate, fps ({@link BusMessage.SegmentStart}). Its media records follow. */
    SEGMENT_START(3),
    /** A video frame of the utterance: an I420 region laid over the idle base ({@link BusMessage.Video}). */
    VIDEO(4),
    /** PCM s16le from a sample index within the utterance ({@link BusMessage.Audio}). */
    AUDIO(5),
    /** The utterance is complete, or ended early and says why ({@link BusMessage.SegmentEnd}). */
    SEGMENT_END(6),
    /** A word of the utterance starts (format version 2 on; {@link BusMessage.WordStarted}). */
    WORD_STARTED(7);

    /** The longest an {@link #IDLE_BASE} loop frame may be held, in video frames (about 10 s at 25 fps). */
    public static final int MAX_IDLE_HOLD = MediaFormat.MAX_IDLE_HOLD;

    private static final RecordKind[] BY_CODE = new RecordKind[16];

    static {
        for (RecordKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    public final int code;

    RecordKind(int code) {
        this.code = code;
    }

    public static RecordKind ofCode(int code) {
        RecordKind k = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (k == null) {
            throw new BusFormatException("unknown record kind " + code);
        }
        return k;
    }
}
