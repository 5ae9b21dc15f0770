package io.facecast.bus;

/** What a bus record carries. The numeric codes are part of the on-disk format: never renumber. */
public enum RecordKind {
    /**
     * Full I420 frame of the session's avatar at rest; the streamer composes idle video from it. An idle loop is N
     * such records: {@code sequence} = loop index 0..N-1 and {@code mediaTimestamp} = N, the loop length (0, as
     * producers before idle loops wrote it, means 1) and {@code sampleRate} = the frame's hold count h(i), how many
     * consecutive video frames show it, 1..{@link #MAX_IDLE_HOLD} (0, as producers before holds wrote it, means 1).
     * The loop's period is P = h(0) + ... + h(N-1) video frames; global video frame k shows the loop frame whose
     * span holds k mod P (with every hold 1 that is loop frame k mod N). This uses only fields IDLE_BASE left
     * unused, so the record layout is unchanged and older records still read (their holds are all 1).
     */
    IDLE_BASE(1),
    /** An I420 patch for idle animation (sequence 0 = eyes closed), laid over {@link #IDLE_BASE}. */
    IDLE_OVERLAY(2),
    /** An utterance begins: text, audio rate, fps. Its media records follow. */
    SEGMENT_START(3),
    /** Video frame {@code mediaTimestamp} of the segment: an I420 region laid over the idle base. */
    VIDEO(4),
    /** PCM s16le; {@code mediaTimestamp} is the index of its first sample within the segment. */
    AUDIO(5),
    /**
     * The segment is complete: {@code mediaTimestamp} = total samples, {@code sequence} = total frames. {@code text}
     * is empty, or says why the utterance ended early, as "CODE: message" with a google.rpc.Code name (a TTS backend
     * that failed mid-utterance, an upload that failed): the streamer reports it as an Error event once what was
     * rendered has played. (A field END left unused: no format change.)
     */
    SEGMENT_END(6),
    /**
     * A word of the utterance starts (format version 2): {@code sequence} = the segment's video frame j that holds
     * the word's first phoneme (the frame whose mouth shape starts it), {@code mediaTimestamp} = the word's first
     * sample within the segment, {@code sampleRate} = the word's offset in the utterance text (UTF-16 chars, as in
     * SEGMENT_START's text), {@code frameWidth} = its length, {@code text} = the word. Written before VIDEO j; the
     * streamer reports it when it pushes frame j.
     */
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
