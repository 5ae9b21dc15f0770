package io.facecast.bus;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BusCodecTest {
    @Test
    void roundTripsEveryField() {
        BusRecord r = BusRecord.of(RecordKind.VIDEO, "s-1", 7).sequence(3).mediaTimestamp(42).producedNanos(99)
                .audioFormat(48000, 1).fps(30).frameSize(512, 512).region(100, 200, 64, 32).text("héllo")
                .payload(new byte[]{1, 2, 3});
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, r);
        assertEquals(r, BusCodec.read(b, new BusRecord()));
    }

    @Test
    void rejectsAnotherVersion() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        b.writeUnsignedShort(BusCodec.VERSION + 1);
        b.writeUnsignedByte(RecordKind.AUDIO.code);
        BusFormatException e = assertThrows(BusFormatException.class, () -> BusCodec.read(b, new BusRecord()));
        assertTrue(e.getMessage().contains("version " + (BusCodec.VERSION + 1)), e.getMessage());
        Bytes<?> zero = Bytes.allocateElasticOnHeap();
        zero.writeUnsignedShort(0);
        zero.writeUnsignedByte(RecordKind.AUDIO.code);
        assertThrows(BusFormatException.class, () -> BusCodec.read(zero, new BusRecord()));
    }

    @Test
    void version2AddsWordStartedAndStillReadsVersion1() {
        BusRecord word = BusRecord.of(RecordKind.WORD_STARTED, "s", 3).sequence(12).mediaTimestamp(19_200)
                .audioFormat(6, 0).frameSize(5, 0).text("brave");
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, word);
        assertEquals(2, b.readUnsignedShort(b.readPosition()) & 0xFFFF, "written as version 2");
        assertEquals(word, BusCodec.read(b, new BusRecord()));

        // A version-1 record (what an older renderer wrote) still reads: same layout.
        Bytes<?> v1 = Bytes.allocateElasticOnHeap();
        BusCodec.write(v1, BusRecord.of(RecordKind.AUDIO, "s", 1).payload(new byte[4]));
        v1.writeUnsignedShort(0, 1);
        assertEquals(RecordKind.AUDIO, BusCodec.read(v1, new BusRecord()).kind());
    }

    @Test
    void idleHoldTravelsInIdleBaseAndOlderRecordsHoldOneFrame() {
        BusRecord loopFrame = BusRecord.of(RecordKind.IDLE_BASE, "s", 0).sequence(2).mediaTimestamp(4).idleHold(37)
                .fps(25).frameSize(4, 4).region(0, 0, 4, 4).payload(new byte[24]);
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, loopFrame);
        assertEquals(BusCodec.VERSION, b.readUnsignedShort(b.readPosition()) & 0xFFFF, "no layout change, no new version");
        BusRecord read = BusCodec.read(b, new BusRecord());
        assertEquals(loopFrame, read);
        assertEquals(37, read.idleHold());
        assertEquals(2, read.sequence());
        assertEquals(4, read.mediaTimestamp());

        // IDLE_BASE as producers before holds wrote it, in both readable versions: each loop frame holds one frame.
        for (int version = BusCodec.OLDEST_READABLE; version <= BusCodec.VERSION; version++) {
            Bytes<?> old = Bytes.allocateElasticOnHeap();
            BusCodec.write(old, BusRecord.of(RecordKind.IDLE_BASE, "s", 0).sequence(1).mediaTimestamp(3)
                    .fps(25).frameSize(4, 4).region(0, 0, 4, 4).payload(new byte[24]));
            old.writeUnsignedShort(0, version);
            BusRecord r = BusCodec.read(old, new BusRecord());
            assertEquals(1, r.idleHold(), "version " + version);
            assertEquals(1, r.sequence());
            assertEquals(3, r.mediaTimestamp());
        }
    }

    @Test
    void rejectsTruncatedPayload() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, BusRecord.of(RecordKind.AUDIO, "s", 1).payload(new byte[100]));
        b.readLimit(b.readLimit() - 50);
        assertThrows(BusFormatException.class, () -> BusCodec.read(b, new BusRecord()));
    }

    @Test
    void recordsCutShortOrWithBadTextAreBusFormatExceptions() {
        Bytes<?> full = Bytes.allocateElasticOnHeap();
        BusCodec.write(full, BusRecord.of(RecordKind.SEGMENT_START, "session", 1).text("hello"));
        byte[] bytes = full.toByteArray();
        for (int cut = 0; cut < bytes.length - 4; cut++) { // the last 4 bytes are the (empty) payload's length
            byte[] shorter = java.util.Arrays.copyOf(bytes, cut);
            assertThrows(BusFormatException.class, () -> BusCodec.read(Bytes.wrapForRead(shorter), new BusRecord()), "cut at " + cut);
        }
        byte[] badUtf8 = bytes.clone();
        badUtf8[4] = (byte) 0xC3; // "session": its first byte becomes a lead byte followed by ASCII
        assertThrows(BusFormatException.class, () -> BusCodec.readSessionId(Bytes.wrapForRead(badUtf8)));
        byte[] nullText = bytes.clone();
        nullText[3] = (byte) 0x80; // the session id's stop-bit length becomes -1 (null) with the next byte
        nullText[4] = 0;
        assertThrows(BusFormatException.class, () -> BusCodec.read(Bytes.wrapForRead(nullText), new BusRecord()));
    }

    @Test
    void oddRegionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BusRecord().region(1, 0, 2, 2));
    }
}
