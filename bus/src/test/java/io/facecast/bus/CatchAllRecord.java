package io.facecast.bus;

import net.openhft.chronicle.bytes.BytesOut;

/**
 * What producers of format versions 1 and 2 wrote: one layout for every kind, whose fields meant different things
 * per kind. Only tests write it (to check that {@link BusCodec} still reads it); the fields are set raw, so a test can
 * also write values no typed record has.
 */
final class CatchAllRecord {
    RecordKind kind;
    String sessionId = "";
    long utteranceId;
    long sequence;
    long mediaTimestamp;
    long producedNanos;
    int sampleRate;
    int channels;
    int fps;
    int frameWidth;
    int frameHeight;
    int regionX;
    int regionY;
    int regionWidth;
    int regionHeight;
    String text = "";
    byte[] payload = new byte[0];

    CatchAllRecord(RecordKind kind, String sessionId, long utteranceId) {
        this.kind = kind;
        this.sessionId = sessionId;
        this.utteranceId = utteranceId;
    }

    /** The fields an old producer would have written for {@code m} (the rules {@link BusCodec} reads them by). */
    static CatchAllRecord of(BusMessage m) {
        CatchAllRecord r = new CatchAllRecord(m.kind(), m.sessionId(), m.utteranceId());
        r.producedNanos = m.producedNanos();
        if (m instanceof BusMessage.IdleBase b) {
            r.sequence = b.index(); r.mediaTimestamp = b.loopLength(); r.sampleRate = b.hold(); r.fps = b.fps();
            r.frameWidth = b.width(); r.frameHeight = b.height(); r.region(BusMessage.Region.full(b.width(), b.height()));
            r.payload = b.i420();
        } else if (m instanceof BusMessage.IdleOverlay o) {
            r.sequence = o.index(); r.frameWidth = o.frameWidth(); r.frameHeight = o.frameHeight(); r.fps = o.fps();
            r.region(o.region()); r.payload = o.i420();
        } else if (m instanceof BusMessage.SegmentStart s) {
            r.text = s.text(); r.sampleRate = s.sampleRate(); r.channels = s.channels(); r.fps = s.fps();
            r.frameWidth = s.frameWidth(); r.frameHeight = s.frameHeight();
        } else if (m instanceof BusMessage.Video v) {
            r.mediaTimestamp = v.frame(); r.fps = v.fps(); r.frameWidth = v.frameWidth(); r.frameHeight = v.frameHeight();
            r.region(v.region()); r.payload = v.i420();
        } else if (m instanceof BusMessage.Audio a) {
            r.mediaTimestamp = a.firstSample(); r.sampleRate = a.sampleRate(); r.channels = a.channels(); r.payload = a.pcm();
        } else if (m instanceof BusMessage.SegmentEnd e) {
            r.mediaTimestamp = e.totalSamples(); r.sequence = e.totalFrames(); r.text = e.reason();
        } else if (m instanceof BusMessage.WordStarted w) {
            r.sequence = w.frame(); r.mediaTimestamp = w.firstSample(); r.sampleRate = w.textOffset();
            r.frameWidth = w.textLength(); r.text = w.word();
        }
        return r;
    }

    private void region(BusMessage.Region g) {
        regionX = g.x(); regionY = g.y(); regionWidth = g.width(); regionHeight = g.height();
    }

    void write(BytesOut<?> out, int version) {
        out.writeUnsignedShort(version);
        out.writeUnsignedByte(kind.code);
        out.writeUtf8(sessionId);
        out.writeLong(utteranceId);
        out.writeLong(sequence);
        out.writeLong(mediaTimestamp);
        out.writeLong(producedNanos);
        out.writeInt(sampleRate);
        out.writeUnsignedByte(channels);
        out.writeUnsignedByte(fps);
        out.writeUnsignedShort(frameWidth);
        out.writeUnsignedShort(frameHeight);
        out.writeUnsignedShort(regionX);
        out.writeUnsignedShort(regionY);
        out.writeUnsignedShort(regionWidth);
        out.writeUnsignedShort(regionHeight);
        out.writeUtf8(text);
        out.writeInt(payload.length);
        out.write(payload);
    }
}
