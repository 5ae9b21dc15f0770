package io.facecast.bus;

import java.util.Arrays;
import java.util.Objects;

/**
 * The catch-all form of a bus record that format versions 1 and 2 wrote: one mutable holder whose fields mean
 * different things per kind. The format is now {@link BusMessage}'s typed records ({@link BusCodec} version 3);
 * this holder remains as a builder and view over them for code not yet moved to the typed records, and to read
 * version-1/2 records. {@link #toMessage} and {@link #set} are the one mapping between the two (which field holds
 * what, per kind, as {@link RecordKind} documents). Fields that a kind does not use stay zero/empty.
 *
 * <p>Video regions are even-aligned I420: a full frame has region (0, 0, frameWidth, frameHeight); a patch is laid
 * over the session's idle base frame at (regionX, regionY).
 */
public final class BusRecord {
    private static final byte[] NO_BYTES = new byte[0];

    private RecordKind kind;
    private String sessionId = "";
    private long utteranceId;
    private long sequence;
    private long mediaTimestamp;
    private long producedNanos;
    private int sampleRate;
    private int channels;
    private int fps;
    private int frameWidth;
    private int frameHeight;
    private int regionX;
    private int regionY;
    private int regionWidth;
    private int regionHeight;
    private String text = "";
    private byte[] payload = NO_BYTES;

    public static BusRecord of(RecordKind kind, String sessionId, long utteranceId) {
        return new BusRecord().kind(kind).sessionId(sessionId).utteranceId(utteranceId);
    }

    public RecordKind kind() { return kind; }
    public String sessionId() { return sessionId; }
    public long utteranceId() { return utteranceId; }
    public long sequence() { return sequence; }
    public long mediaTimestamp() { return mediaTimestamp; }
    public long producedNanos() { return producedNanos; }
    public int sampleRate() { return sampleRate; }
    public int channels() { return channels; }
    public int fps() { return fps; }
    public int frameWidth() { return frameWidth; }
    public int frameHeight() { return frameHeight; }
    public int regionX() { return regionX; }
    public int regionY() { return regionY; }
    public int regionWidth() { return regionWidth; }
    public int regionHeight() { return regionHeight; }
    public String text() { return text; }
    public byte[] payload() { return payload; }

    public BusRecord kind(RecordKind v) { kind = Objects.requireNonNull(v); return this; }
    public BusRecord sessionId(String v) { sessionId = Objects.requireNonNull(v); return this; }
    public BusRecord utteranceId(long v) { utteranceId = v; return this; }
    public BusRecord sequence(long v) { sequence = v; return this; }
    public BusRecord mediaTimestamp(long v) { mediaTimestamp = v; return this; }
    public BusRecord producedNanos(long v) { producedNanos = v; return this; }
    public BusRecord audioFormat(int rate, int ch) { sampleRate = rate; channels = ch; return this; }
    public BusRecord fps(int v) { fps = v; return this; }
    public BusRecord frameSize(int w, int h) { frameWidth = w; frameHeight = h; return this; }

    public BusRecord region(int x, int y, int w, int h) {
        if ((x | y | w | h) < 0 || ((x | y | w | h) & 1) != 0) {
            throw new IllegalArgumentException("I420 region must be even and non-negative: " + x + "," + y + " " + w + "x" + h);
        }
        regionX = x; regionY = y; regionWidth = w; regionHeight = h;
        return this;
    }

    /** {@link RecordKind#IDLE_BASE}: how many video frames this loop frame is shown for (kept in sampleRate; 0 reads as 1). */
    public int idleHold() { return sampleRate == 0 ? 1 : sampleRate; }
    public BusRecord idleHold(int frames) { sampleRate = frames; return this; }

    public BusRecord text(String v) { text = Objects.requireNonNull(v); return this; }
    public BusRecord payload(byte[] v) { payload = v == null ? NO_BYTES : v; return this; }

    /**
     * The typed record this holder describes.
     *
     * @throws BusFormatException when a field is out of the typed record's range (an idle loop index over 65535)
     */
    public BusMessage toMessage() {
        if (kind == null) {
            throw new BusFormatException("a bus record needs a kind");
        }
        BusMessage.Region region = new BusMessage.Region(regionX, regionY, regionWidth, regionHeight);
        return switch (kind) {
            case IDLE_BASE -> new BusMessage.IdleBase(sessionId, u16("idle loop index", sequence),
                    u16("idle loop length", mediaTimestamp == 0 ? 1 : mediaTimestamp), u16("idle hold", idleHold()),
                    frameWidth, frameHeight, fps, payload, producedNanos);
            case IDLE_OVERLAY -> new BusMessage.IdleOverlay(sessionId, u16("overlay index", sequence), frameWidth,
                    frameHeight, fps, region, payload, producedNanos);
            case SEGMENT_START -> new BusMessage.SegmentStart(sessionId, utteranceId, text, sampleRate, channels, fps,
                    frameWidth, frameHeight, producedNanos);
            case VIDEO -> new BusMessage.Video(sessionId, utteranceId, mediaTimestamp, fps, frameWidth, frameHeight,
                    region, payload, producedNanos);
            case AUDIO -> new BusMessage.Audio(sessionId, utteranceId, mediaTimestamp, sampleRate, channels, payload,
                    producedNanos);
            case SEGMENT_END -> new BusMessage.SegmentEnd(sessionId, utteranceId, mediaTimestamp, sequence, text,
                    producedNanos);
            case WORD_STARTED -> new BusMessage.WordStarted(sessionId, utteranceId, sequence, mediaTimestamp,
                    sampleRate, frameWidth, text, producedNanos);
        };
    }

    private static int u16(String what, long v) {
        if (v < 0 || v > 0xFFFF) {
            throw new BusFormatException("unreadable bus record: its " + what + " " + v + " is out of range (0..65535)");
        }
        return (int) v;
    }

    /** Replaces every field with those of {@code m} (the inverse of {@link #toMessage}). */
    public BusRecord set(BusMessage m) {
        reset();
        kind = m.kind();
        sessionId = m.sessionId();
        utteranceId = m.utteranceId();
        producedNanos = m.producedNanos();
        if (m instanceof BusMessage.IdleBase b) {
            sequence = b.index(); mediaTimestamp = b.loopLength(); sampleRate = b.hold(); fps = b.fps();
            frameWidth = b.width(); frameHeight = b.height(); region(0, 0, b.width(), b.height()); payload = b.i420();
        } else if (m instanceof BusMessage.IdleOverlay o) {
            sequence = o.index(); frameWidth = o.frameWidth(); frameHeight = o.frameHeight(); fps = o.fps();
            setRegion(o.region()); payload = o.i420();
        } else if (m instanceof BusMessage.SegmentStart s) {
            text = s.text(); sampleRate = s.sampleRate(); channels = s.channels(); fps = s.fps();
            frameWidth = s.frameWidth(); frameHeight = s.frameHeight();
        } else if (m instanceof BusMessage.Video v) {
            mediaTimestamp = v.frame(); fps = v.fps(); frameWidth = v.frameWidth(); frameHeight = v.frameHeight();
            setRegion(v.region()); payload = v.i420();
        } else if (m instanceof BusMessage.Audio a) {
            mediaTimestamp = a.firstSample(); sampleRate = a.sampleRate(); channels = a.channels(); payload = a.pcm();
        } else if (m instanceof BusMessage.SegmentEnd e) {
            mediaTimestamp = e.totalSamples(); sequence = e.totalFrames(); text = e.reason();
        } else if (m instanceof BusMessage.WordStarted w) {
            sequence = w.frame(); mediaTimestamp = w.firstSample(); sampleRate = w.textOffset();
            frameWidth = w.textLength(); text = w.word();
        }
        return this;
    }

    public static BusRecord from(BusMessage m) {
        return new BusRecord().set(m);
    }

    private void setRegion(BusMessage.Region r) {
        regionX = r.x(); regionY = r.y(); regionWidth = r.width(); regionHeight = r.height();
    }

    /** Clears every field so a reader can decode into this instance again. */
    public BusRecord reset() {
        kind = null; sessionId = ""; utteranceId = sequence = mediaTimestamp = producedNanos = 0;
        sampleRate = channels = fps = frameWidth = frameHeight = regionX = regionY = regionWidth = regionHeight = 0;
        text = ""; payload = NO_BYTES;
        return this;
    }

    public BusRecord copy() {
        BusRecord c = new BusRecord();
        c.kind = kind; c.sessionId = sessionId; c.utteranceId = utteranceId; c.sequence = sequence;
        c.mediaTimestamp = mediaTimestamp; c.producedNanos = producedNanos; c.sampleRate = sampleRate;
        c.channels = channels; c.fps = fps; c.frameWidth = frameWidth; c.frameHeight = frameHeight;
        c.regionX = regionX; c.regionY = regionY; c.regionWidth = regionWidth; c.regionHeight = regionHeight;
        c.text = text; c.payload = payload;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BusRecord)) return false;
        BusRecord r = (BusRecord) o;
        return kind == r.kind && sessionId.equals(r.sessionId) && utteranceId == r.utteranceId && sequence == r.sequence
                && mediaTimestamp == r.mediaTimestamp && producedNanos == r.producedNanos && sampleRate == r.sampleRate
                && channels == r.channels && fps == r.fps && frameWidth == r.frameWidth && frameHeight == r.frameHeight
                && regionX == r.regionX && regionY == r.regionY && regionWidth == r.regionWidth
                && regionHeight == r.regionHeight && text.equals(r.text) && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, sessionId, utteranceId, sequence, mediaTimestamp);
    }

    @Override
    public String toString() {
        return kind + "{session=" + sessionId + ", segment=" + utteranceId + ", seq=" + sequence + ", ts=" + mediaTimestamp
                + ", payload=" + payload.length + "B}";
    }
}
