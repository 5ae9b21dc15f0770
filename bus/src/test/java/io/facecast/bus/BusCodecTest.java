package io.facecast.bus;

import io.facecast.bus.BusMessage.Region;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BusCodecTest {
    static final List<BusMessage> ONE_OF_EACH = List.of(
            new BusMessage.IdleBase("s-1", 2, 4, 37, 512, 512, 25, new byte[]{9, 8}, 11),
            new BusMessage.IdleOverlay("s-1", 0, 512, 512, 25, new Region(100, 80, 64, 16), new byte[]{7}, 12),
            new BusMessage.SegmentStart("s-1", 7, "héllo", 48_000, 1, 30, 512, 512, 13),
            new BusMessage.Video("s-1", 7, 42, 30, 512, 512, new Region(100, 200, 64, 32), new byte[]{1, 2, 3}, 14),
            new BusMessage.Audio("s-1", 7, 1600, 48_000, 1, new byte[]{4, 5}, 15),
            new BusMessage.SegmentEnd("s-1", 7, 96_000, 60, "UNAVAILABLE: tts backend went away", 16),
            new BusMessage.WordStarted("s-1", 7, 12, 19_200, 6, 5, "brave", 17),
            new BusMessage.Audio("s-1", -2, 0, 48_000, 1, new byte[0], 18)); // an utterance id above 2^63, unsigned

    @Test
    void everyKindRoundTripsItsOwnFieldsAsVersion3() {
        for (BusMessage m : ONE_OF_EACH) {
            Bytes<?> b = Bytes.allocateElasticOnHeap();
            BusCodec.write(b, m);
            assertEquals(3, b.readUnsignedShort(b.readPosition()) & 0xFFFF, "written as version 3");
            assertEquals(m, BusCodec.decode(b), m.kind().toString());
        }
    }

    @Test
    void theCatchAllHolderMapsOntoTheTypedRecordsBothWays() {
        for (BusMessage m : ONE_OF_EACH) {
            assertEquals(m, BusRecord.from(m).toMessage(), m.kind().toString());
        }
        // The old holder's per-kind field reuse, spelled out once: IDLE_BASE hold in sampleRate, 0 read as 1.
        BusRecord old = BusRecord.of(RecordKind.IDLE_BASE, "s", 0).sequence(1).mediaTimestamp(0).fps(25)
                .frameSize(4, 4).region(0, 0, 4, 4).payload(new byte[24]);
        BusMessage.IdleBase base = (BusMessage.IdleBase) old.toMessage();
        assertEquals(1, base.hold());
        assertEquals(1, base.loopLength(), "a loop length of 0 (before idle loops) is 1");
        assertEquals(1, base.index());
    }

    @Test
    void rejectsAnotherVersion() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        b.writeUnsignedShort(BusCodec.VERSION + 1);
        b.writeUnsignedByte(RecordKind.AUDIO.code);
        BusFormatException e = assertThrows(BusFormatException.class, () -> BusCodec.decode(b));
        assertTrue(e.getMessage().contains("version " + (BusCodec.VERSION + 1)), e.getMessage());
        Bytes<?> zero = Bytes.allocateElasticOnHeap();
        zero.writeUnsignedShort(0);
        zero.writeUnsignedByte(RecordKind.AUDIO.code);
        assertThrows(BusFormatException.class, () -> BusCodec.decode(zero));
    }

    @Test
    void versions1And2StillReadByTheRulesTheyWereWrittenUnder() {
        BusRecord word = BusRecord.of(RecordKind.WORD_STARTED, "s", 3).sequence(12).mediaTimestamp(19_200)
                .audioFormat(6, 0).frameSize(5, 0).text("brave");
        Bytes<?> v2 = Bytes.allocateElasticOnHeap();
        BusCodec.writeCatchAll(v2, word, 2);
        assertEquals(new BusMessage.WordStarted("s", 3, 12, 19_200, 6, 5, "brave", 0), BusCodec.decode(v2));

        // IDLE_BASE as producers before holds wrote it, in both catch-all versions: each loop frame holds one frame.
        for (int version = BusCodec.OLDEST_READABLE; version <= 2; version++) {
            Bytes<?> old = Bytes.allocateElasticOnHeap();
            BusCodec.writeCatchAll(old, BusRecord.of(RecordKind.IDLE_BASE, "s", 0).sequence(1).mediaTimestamp(3)
                    .fps(25).frameSize(4, 4).region(0, 0, 4, 4).payload(new byte[24]), version);
            BusMessage.IdleBase r = (BusMessage.IdleBase) BusCodec.decode(old);
            assertEquals(1, r.hold(), "version " + version);
            assertEquals(1, r.index());
            assertEquals(3, r.loopLength());
        }
        // A catch-all record whose reused field does not fit its meaning is refused, not truncated.
        Bytes<?> huge = Bytes.allocateElasticOnHeap();
        BusCodec.writeCatchAll(huge, BusRecord.of(RecordKind.IDLE_BASE, "s", 0).sequence(70_000), 2);
        assertThrows(BusFormatException.class, () -> BusCodec.decode(huge));
    }

    @Test
    void rejectsTruncatedPayload() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, new BusMessage.Audio("s", 1, 0, 48_000, 1, new byte[100], 1));
        b.readLimit(b.readLimit() - 50);
        assertThrows(BusFormatException.class, () -> BusCodec.decode(b));
    }

    @Test
    void recordsCutShortOrWithBadTextAreBusFormatExceptions() {
        Bytes<?> full = Bytes.allocateElasticOnHeap();
        BusCodec.write(full, new BusMessage.SegmentStart("session", 1, "hello", 48_000, 1, 30, 64, 64, 1));
        byte[] bytes = full.toByteArray();
        for (int cut = 0; cut < bytes.length; cut++) { // the text is last: every cut loses some of it
            byte[] shorter = java.util.Arrays.copyOf(bytes, cut);
            assertThrows(BusFormatException.class, () -> BusCodec.decode(Bytes.wrapForRead(shorter)), "cut at " + cut);
        }
        byte[] badUtf8 = bytes.clone();
        badUtf8[4] = (byte) 0xC3; // "session": its first byte becomes a lead byte followed by ASCII
        assertThrows(BusFormatException.class, () -> BusCodec.decode(Bytes.wrapForRead(badUtf8)));
        byte[] nullText = bytes.clone();
        nullText[3] = (byte) 0x80; // the session id's stop-bit length becomes -1 (null) with the next byte
        nullText[4] = 0;
        assertThrows(BusFormatException.class, () -> BusCodec.decode(Bytes.wrapForRead(nullText)));
    }

    @Test
    void oddRegionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Region(1, 0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new BusRecord().region(1, 0, 2, 2));
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, new BusMessage.Video("s", 1, 0, 30, 64, 64, new Region(2, 2, 4, 4), new byte[0], 1));
        byte[] bytes = b.toByteArray();
        bytes[bytes.length - 4 - 8] = 3; // region x (u16, little-endian) becomes odd
        assertThrows(BusFormatException.class, () -> BusCodec.decode(Bytes.wrapForRead(bytes)));
    }
}
