package io.facecast.bus;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;
import net.openhft.chronicle.core.io.IORuntimeException;

import java.nio.BufferUnderflowException;

/**
 * The one definition of the bus record layout. Version 2, little-endian as Chronicle writes it:
 *
 * <pre>
 * u16 version | u8 kind | utf8 sessionId | i64 segmentId | i64 sequence | i64 mediaTimestamp | i64 producedNanos
 * i32 sampleRate | u8 channels | u8 fps | u16 frameWidth | u16 frameHeight
 * u16 regionX | u16 regionY | u16 regionWidth | u16 regionHeight | utf8 text | i32 payloadLength | payload
 * </pre>
 *
 * Version 2 adds the record kind {@link RecordKind#WORD_STARTED} (same layout); version 1 records still read (they
 * are a subset). A reader rejects any other version, and any record it cannot decode (one that ends before its
 * fields do, text that is not UTF-8, an odd region), with {@link BusFormatException} rather than guessing. What each
 * field means depends on the kind (see {@link RecordKind}); reusing a field a kind left unused keeps the version, as idle loops
 * did ({@code IDLE_BASE}: sequence = loop index, mediaTimestamp = loop length) and idle holds do
 * ({@code IDLE_BASE}: sampleRate = the loop frame's hold count in video frames, 0 read as 1 — records written before
 * holds, of either version, so play each loop frame once, as they always did).
 */
public final class BusCodec {
    public static final int VERSION = 2;
    /** The oldest version this build still reads. */
    public static final int OLDEST_READABLE = 1;

    private BusCodec() {}

    public static void write(BytesOut<?> out, BusRecord r) {
        out.writeUnsignedShort(VERSION);
        out.writeUnsignedByte(r.kind().code);
        out.writeUtf8(r.sessionId());
        out.writeLong(r.segmentId());
        out.writeLong(r.sequence());
        out.writeLong(r.mediaTimestamp());
        out.writeLong(r.producedNanos());
        out.writeInt(r.sampleRate());
        out.writeUnsignedByte(r.channels());
        out.writeUnsignedByte(r.fps());
        out.writeUnsignedShort(r.frameWidth());
        out.writeUnsignedShort(r.frameHeight());
        out.writeUnsignedShort(r.regionX());
        out.writeUnsignedShort(r.regionY());
        out.writeUnsignedShort(r.regionWidth());
        out.writeUnsignedShort(r.regionHeight());
        out.writeUtf8(r.text());
        byte[] p = r.payload();
        out.writeInt(p.length);
        out.write(p);
    }

    /** Reads just the version, kind and session id of a record (to pass over other sessions' records cheaply). */
    public static String readSessionId(BytesIn<?> in) {
        try {
            return readSessionId0(in);
        } catch (BufferUnderflowException | IORuntimeException | ArithmeticException | IllegalArgumentException e) {
            throw unreadable(e);
        }
    }

    private static String readSessionId0(BytesIn<?> in) {
        int version = in.readUnsignedShort();
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new BusFormatException("bus record version " + version + " is not supported (this build reads "
                    + OLDEST_READABLE + ".." + VERSION + ")");
        }
        RecordKind.ofCode(in.readUnsignedByte()); // at the end of a short record Chronicle answers -1, not an exception
        return text(in, "session id");
    }

    /** Decodes one record into {@code into}, replacing all its fields. */
    public static BusRecord read(BytesIn<?> in, BusRecord into) {
        try {
            return read0(in, into);
        } catch (BufferUnderflowException | IORuntimeException | ArithmeticException | IllegalArgumentException e) {
            throw unreadable(e);
        }
    }

    /** A UTF-8 field; Chronicle writes null as length -1, which no writer of this format does. */
    private static String text(BytesIn<?> in, String field) {
        String s = in.readUtf8();
        if (s == null) {
            throw new BusFormatException("unreadable bus record: its " + field + " is null");
        }
        return s;
    }

    /** Chronicle's own exceptions for a short record, a bad text length or bad UTF-8, and BusRecord's for an odd region. */
    private static BusFormatException unreadable(RuntimeException e) {
        String why = e instanceof BufferUnderflowException ? "it ends before its fields do"
                : "a text field has a bad length or is not UTF-8, or a region is not even";
        return new BusFormatException("unreadable bus record: " + why + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }

    private static BusRecord read0(BytesIn<?> in, BusRecord into) {
        int version = in.readUnsignedShort();
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new BusFormatException("bus record version " + version + " is not supported (this build reads "
                    + OLDEST_READABLE + ".." + VERSION + ")");
        }
        into.reset();
        into.kind(RecordKind.ofCode(in.readUnsignedByte()));
        into.sessionId(text(in, "session id"));
        into.segmentId(in.readLong());
        into.sequence(in.readLong());
        into.mediaTimestamp(in.readLong());
        into.producedNanos(in.readLong());
        int rate = in.readInt();
        into.audioFormat(rate, in.readUnsignedByte());
        into.fps(in.readUnsignedByte());
        int fw = in.readUnsignedShort();
        into.frameSize(fw, in.readUnsignedShort());
        int x = in.readUnsignedShort();
        int y = in.readUnsignedShort();
        int w = in.readUnsignedShort();
        into.region(x, y, w, in.readUnsignedShort());
        into.text(text(in, "text"));
        int len = in.readInt();
        if (len < 0 || len > in.readRemaining()) {
            throw new BusFormatException("payload length " + len + " exceeds the record (" + in.readRemaining() + " bytes left)");
        }
        byte[] payload = new byte[len];
        in.read(payload);
        into.payload(payload);
        return into;
    }
}
