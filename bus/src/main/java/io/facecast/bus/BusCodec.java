package io.facecast.bus;

import io.facecast.bus.BusMessage.Audio;
import io.facecast.bus.BusMessage.IdleBase;
import io.facecast.bus.BusMessage.IdleOverlay;
import io.facecast.bus.BusMessage.Region;
import io.facecast.bus.BusMessage.SegmentEnd;
import io.facecast.bus.BusMessage.SegmentStart;
import io.facecast.bus.BusMessage.Video;
import io.facecast.bus.BusMessage.WordStarted;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;
import net.openhft.chronicle.core.io.IORuntimeException;

import java.nio.BufferUnderflowException;

/**
 * The one definition of the bus record layout, for the typed records of {@link BusMessage}. Version 3, little-endian
 * as Chronicle writes it: a header, then exactly the fields of the record's kind.
 *
 * <pre>
 * header        u16 version | u8 kind | utf8 sessionId | i64 utteranceId | i64 producedNanos
 * IDLE_BASE     u16 index | u16 loopLength | u16 hold | u16 width | u16 height | u8 fps | bytes i420
 * IDLE_OVERLAY  u16 index | u16 frameWidth | u16 frameHeight | u8 fps | region | bytes i420
 * SEGMENT_START i32 sampleRate | u8 channels | u8 fps | u16 frameWidth | u16 frameHeight | utf8 text
 * VIDEO         i64 frame | u8 fps | u16 frameWidth | u16 frameHeight | region | bytes i420
 * AUDIO         i64 firstSample | i32 sampleRate | u8 channels | bytes pcm
 * SEGMENT_END   i64 totalSamples | i64 totalFrames | utf8 reason
 * WORD_STARTED  i64 frame | i64 firstSample | i32 textOffset | i32 textLength | utf8 word
 * region = u16 x | u16 y | u16 width | u16 height (even);  bytes = i32 length | length bytes
 * </pre>
 *
 * Versions 1 and 2 (one catch-all layout whose fields meant different things per kind) still read: {@link
 * #decode} maps them onto the typed records by the rules they were written under (IDLE_BASE: loop index in
 * sequence, loop length in mediaTimestamp, hold in sampleRate, 0 read as 1; WORD_STARTED: text offset in
 * sampleRate, length in frameWidth; ...). A reader rejects any other version, and any record it cannot decode (one
 * that ends before its fields do, text that is not UTF-8, an odd region, a number out of its field's range), with
 * {@link BusFormatException} rather than guessing. The bus's directory layout is {@link MediaBus}'s.
 */
public final class BusCodec {
    public static final int VERSION = 3;
    /** The oldest version this build still reads. */
    public static final int OLDEST_READABLE = 1;
    private static final int LAST_CATCH_ALL = 2;

    private BusCodec() {}

    /** Writes {@code m} as a version-{@value #VERSION} record. */
    public static void write(BytesOut<?> out, BusMessage m) {
        out.writeUnsignedShort(VERSION);
        out.writeUnsignedByte(m.kind().code);
        out.writeUtf8(m.sessionId());
        out.writeLong(m.utteranceId());
        out.writeLong(m.producedNanos());
        if (m instanceof IdleBase b) {
            out.writeUnsignedShort(b.index());
            out.writeUnsignedShort(b.loopLength());
            out.writeUnsignedShort(b.hold());
            out.writeUnsignedShort(b.width());
            out.writeUnsignedShort(b.height());
            out.writeUnsignedByte(b.fps());
            bytes(out, b.i420());
        } else if (m instanceof IdleOverlay o) {
            out.writeUnsignedShort(o.index());
            out.writeUnsignedShort(o.frameWidth());
            out.writeUnsignedShort(o.frameHeight());
            out.writeUnsignedByte(o.fps());
            region(out, o.region());
            bytes(out, o.i420());
        } else if (m instanceof SegmentStart s) {
            out.writeInt(s.sampleRate());
            out.writeUnsignedByte(s.channels());
            out.writeUnsignedByte(s.fps());
            out.writeUnsignedShort(s.frameWidth());
            out.writeUnsignedShort(s.frameHeight());
            out.writeUtf8(s.text());
        } else if (m instanceof Video v) {
            out.writeLong(v.frame());
            out.writeUnsignedByte(v.fps());
            out.writeUnsignedShort(v.frameWidth());
            out.writeUnsignedShort(v.frameHeight());
            region(out, v.region());
            bytes(out, v.i420());
        } else if (m instanceof Audio a) {
            out.writeLong(a.firstSample());
            out.writeInt(a.sampleRate());
            out.writeUnsignedByte(a.channels());
            bytes(out, a.pcm());
        } else if (m instanceof SegmentEnd e) {
            out.writeLong(e.totalSamples());
            out.writeLong(e.totalFrames());
            out.writeUtf8(e.reason());
        } else if (m instanceof WordStarted w) {
            out.writeLong(w.frame());
            out.writeLong(w.firstSample());
            out.writeInt(w.textOffset());
            out.writeInt(w.textLength());
            out.writeUtf8(w.word());
        } else {
            throw new IllegalStateException("no layout for " + m.kind()); // BusMessage is sealed: cannot happen
        }
    }

    /** Decodes one record of any readable version. */
    public static BusMessage decode(BytesIn<?> in) {
        try {
            int version = in.readUnsignedShort();
            if (version < OLDEST_READABLE || version > VERSION) {
                throw new BusFormatException("bus record version " + version + " is not supported (this build reads "
                        + OLDEST_READABLE + ".." + VERSION + ")");
            }
            BusMessage m = version <= LAST_CATCH_ALL ? readCatchAll(in) : read3(in);
            if (m instanceof IdleBase b && ((b.width() | b.height()) & 1) != 0) {
                throw new BusFormatException("unreadable bus record: an idle frame is I420, so its size is even, not "
                        + b.width() + "x" + b.height());
            }
            return m;
        } catch (BufferUnderflowException | IORuntimeException | ArithmeticException | IllegalArgumentException e) {
            throw unreadable(e);
        }
    }

    private static BusMessage read3(BytesIn<?> in) {
        RecordKind kind = RecordKind.ofCode(in.readUnsignedByte()); // a short record reads -1 here, not an exception
        String session = text(in, "session id");
        long utterance = in.readLong();
        long produced = in.readLong();
        return switch (kind) {
            case IDLE_BASE -> {
                int index = in.readUnsignedShort();
                int loop = in.readUnsignedShort();
                int hold = in.readUnsignedShort();
                int w = in.readUnsignedShort();
                int h = in.readUnsignedShort();
                yield new IdleBase(session, index, loop, hold, w, h, in.readUnsignedByte(), bytes(in), produced);
            }
            case IDLE_OVERLAY -> new IdleOverlay(session, in.readUnsignedShort(), in.readUnsignedShort(),
                    in.readUnsignedShort(), in.readUnsignedByte(), region(in), bytes(in), produced);
            case SEGMENT_START -> {
                int rate = in.readInt();
                int channels = in.readUnsignedByte();
                int fps = in.readUnsignedByte();
                int w = in.readUnsignedShort();
                int h = in.readUnsignedShort();
                yield new SegmentStart(session, utterance, text(in, "text"), rate, channels, fps, w, h, produced);
            }
            case VIDEO -> new Video(session, utterance, in.readLong(), in.readUnsignedByte(), in.readUnsignedShort(),
                    in.readUnsignedShort(), region(in), bytes(in), produced);
            case AUDIO -> new Audio(session, utterance, in.readLong(), in.readInt(), in.readUnsignedByte(), bytes(in),
                    produced);
            case SEGMENT_END -> new SegmentEnd(session, utterance, in.readLong(), in.readLong(), text(in, "reason"),
                    produced);
            case WORD_STARTED -> new WordStarted(session, utterance, in.readLong(), in.readLong(), in.readInt(),
                    in.readInt(), text(in, "word"), produced);
        };
    }

    /**
     * Versions 1 and 2: every kind in one layout whose fields meant different things per kind:
     * <pre>
     * u8 kind | utf8 sessionId | i64 utteranceId | i64 sequence | i64 mediaTimestamp | i64 producedNanos |
     * i32 sampleRate | u8 channels | u8 fps | u16 frameWidth | u16 frameHeight | region | utf8 text | bytes payload
     * </pre>
     * read straight into the typed record by the rules they were written under (no holder object in between).
     */
    private static BusMessage readCatchAll(BytesIn<?> in) {
        RecordKind kind = RecordKind.ofCode(in.readUnsignedByte());
        String session = text(in, "session id");
        long utterance = in.readLong();
        long sequence = in.readLong();
        long mediaTimestamp = in.readLong();
        long produced = in.readLong();
        int rate = in.readInt();
        int channels = in.readUnsignedByte();
        int fps = in.readUnsignedByte();
        int fw = in.readUnsignedShort();
        int fh = in.readUnsignedShort();
        Region region = region(in); // every kind's region is even, used or not
        String text = text(in, "text");
        byte[] payload = bytes(in);
        return switch (kind) {
            // IDLE_BASE: loop index in sequence, loop length in mediaTimestamp, hold in sampleRate; 0 reads as 1.
            case IDLE_BASE -> new IdleBase(session, u16("idle loop index", sequence),
                    u16("idle loop length", mediaTimestamp == 0 ? 1 : mediaTimestamp),
                    u16("idle hold", rate == 0 ? 1 : rate), fw, fh, fps, payload, produced);
            case IDLE_OVERLAY -> new IdleOverlay(session, u16("overlay index", sequence), fw, fh, fps, region, payload,
                    produced);
            case SEGMENT_START -> new SegmentStart(session, utterance, text, rate, channels, fps, fw, fh, produced);
            case VIDEO -> new Video(session, utterance, mediaTimestamp, fps, fw, fh, region, payload, produced);
            case AUDIO -> new Audio(session, utterance, mediaTimestamp, rate, channels, payload, produced);
            // SEGMENT_END: total samples in mediaTimestamp, total frames in sequence, the reason in text.
            case SEGMENT_END -> new SegmentEnd(session, utterance, mediaTimestamp, sequence, text, produced);
            // WORD_STARTED: frame in sequence, first sample in mediaTimestamp, text offset in sampleRate, length in
            // frameWidth.
            case WORD_STARTED -> new WordStarted(session, utterance, sequence, mediaTimestamp, rate, fw, text, produced);
        };
    }

    private static int u16(String what, long v) {
        if (v < 0 || v > 0xFFFF) {
            throw new BusFormatException("unreadable bus record: its " + what + " " + v + " is out of range (0..65535)");
        }
        return (int) v;
    }

    private static void region(BytesOut<?> out, Region r) {
        out.writeUnsignedShort(r.x());
        out.writeUnsignedShort(r.y());
        out.writeUnsignedShort(r.width());
        out.writeUnsignedShort(r.height());
    }

    private static Region region(BytesIn<?> in) {
        int x = in.readUnsignedShort();
        int y = in.readUnsignedShort();
        int w = in.readUnsignedShort();
        return new Region(x, y, w, in.readUnsignedShort());
    }

    private static void bytes(BytesOut<?> out, byte[] b) {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(BytesIn<?> in) {
        int len = in.readInt();
        if (len < 0 || len > in.readRemaining()) {
            throw new BusFormatException("payload length " + len + " exceeds the record (" + in.readRemaining() + " bytes left)");
        }
        byte[] payload = new byte[len];
        in.read(payload);
        return payload;
    }

    /** A UTF-8 field; Chronicle writes null as length -1, which no writer of this format does. */
    private static String text(BytesIn<?> in, String field) {
        long start = in.readPosition();
        long length = in.readStopBit(); // at least one byte per character: more than is left cannot be whole
        if (length > in.readRemaining()) {
            throw new BusFormatException("unreadable bus record: its " + field + " ends before its " + length + " characters do");
        }
        in.readPosition(start);
        String s = in.readUtf8();
        if (s == null) {
            throw new BusFormatException("unreadable bus record: its " + field + " is null");
        }
        return s;
    }

    /** Chronicle's own exceptions for a short record, a bad text length or bad UTF-8, and an odd region. */
    private static BusFormatException unreadable(RuntimeException e) {
        if (e instanceof BusFormatException b) {
            return b;
        }
        String why = e instanceof BufferUnderflowException ? "it ends before its fields do"
                : "a text field has a bad length or is not UTF-8, or a region is not even, or a number is out of range";
        return new BusFormatException("unreadable bus record: " + why + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
}
