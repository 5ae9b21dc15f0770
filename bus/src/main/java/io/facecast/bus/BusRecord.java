package io.facecast.bus;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record on the media bus (format {@link BusCodec#VERSION}). A plain mutable holder: the writer fills one and
 * appends it, the reader decodes into one. Fields that a kind does not use stay zero/empty.
 *
 * <p>Video regions are even-aligned I420: a full frame has region (0, 0, frameWidth, frameHeight); a patch is laid
 * over the session's idle base frame at (regionX, regionY).
 */
public final class BusRecord {
    private static final byte[] NO_BYTES = new byte[0];

    private RecordKind kind;
    private String sessionId = "";
    private long segmentId;
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

    public static BusRecord of(RecordKind kind, String sessionId, long segmentId) {
        return new BusRecord().kind(kind).sessionId(sessionId).segmentId(segmentId);
    }

    public RecordKind kind() { return kind; }
    public String sessionId() { return sessionId; }
    public long segmentId() { return segmentId; }
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
    public BusRecord segmentId(long v) { segmentId = v; return this; }
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

    /** Clears every field so a reader can decode into this instance again. */
    public BusRecord reset() {
        kind = null; sessionId = ""; segmentId = sequence = mediaTimestamp = producedNanos = 0;
        sampleRate = channels = fps = frameWidth = frameHeight = regionX = regionY = regionWidth = regionHeight = 0;
        text = ""; payload = NO_BYTES;
        return this;
    }

    public BusRecord copy() {
        BusRecord c = new BusRecord();
        c.kind = kind; c.sessionId = sessionId; c.segmentId = segmentId; c.sequence = sequence;
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
        return kind == r.kind && sessionId.equals(r.sessionId) && segmentId == r.segmentId && sequence == r.sequence
                && mediaTimestamp == r.mediaTimestamp && producedNanos == r.producedNanos && sampleRate == r.sampleRate
                && channels == r.channels && fps == r.fps && frameWidth == r.frameWidth && frameHeight == r.frameHeight
                && regionX == r.regionX && regionY == r.regionY && regionWidth == r.regionWidth
                && regionHeight == r.regionHeight && text.equals(r.text) && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, sessionId, segmentId, sequence, mediaTimestamp);
    }

    @Override
    public String toString() {
        return kind + "{session=" + sessionId + ", segment=" + segmentId + ", seq=" + sequence + ", ts=" + mediaTimestamp
                + ", payload=" + payload.length + "B}";
    }
}
