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
    void everyKindWrittenInTheCatchAllLayoutReadsAsTheSameTypedRecord() {
        for (int version = BusCodec.OLDEST_READABLE; version <= 2; version++) {
            for (BusMessage m : ONE_OF_EACH) {
                Bytes<?> b = Bytes.allocateElasticOnHeap();
                CatchAllRecord.of(m).write(b, version);
                assertEquals(m, BusCodec.decode(b), "version " + version + " " + m.kind());
            }
        }
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
        CatchAllRecord word = new CatchAllRecord(RecordKind.WORD_STARTED, "s", 3);
        word.sequence = 12;
        word.mediaTimestamp = 19_200;
        word.sampleRate = 6;
        word.frameWidth = 5;
        word.text = "brave";
        Bytes<?> v2 = Bytes.allocateElasticOnHeap();
        word.write(v2, 2);
        assertEquals(new BusMessage.WordStarted("s", 3, 12, 19_200, 6, 5, "brave", 0), BusCodec.decode(v2));

        // IDLE_BASE as producers before holds wrote it, in both catch-all versions: each loop frame holds one frame.
        for (int version = BusCodec.OLDEST_READABLE; version <= 2; version++) {
            Bytes<?> old = Bytes.allocateElasticOnHeap();
            CatchAllRecord base = new CatchAllRecord(RecordKind.IDLE_BASE, "s", 0);
            base.sequence = 1;
            base.mediaTimestamp = 3;
            base.fps = 25;
            base.frameWidth = base.frameHeight = base.regionWidth = base.regionHeight = 4;
            base.payload = new byte[24];
            base.write(old, version);
            BusMessage.IdleBase r = (BusMessage.IdleBase) BusCodec.decode(old);
            assertEquals(1, r.hold(), "version " + version);
            assertEquals(1, r.index());
            assertEquals(3, r.loopLength());
            base.mediaTimestamp = 0; // before idle loops
            Bytes<?> older = Bytes.allocateElasticOnHeap();
            base.write(older, version);
            assertEquals(1, ((BusMessage.IdleBase) BusCodec.decode(older)).loopLength(), "a loop length of 0 is 1");
        }
        // A catch-all record whose reused field does not fit its meaning is refused, not truncated.
        Bytes<?> huge = Bytes.allocateElasticOnHeap();
        CatchAllRecord tooFar = new CatchAllRecord(RecordKind.IDLE_BASE, "s", 0);
        tooFar.sequence = 70_000;
        tooFar.write(huge, 2);
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
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        BusCodec.write(b, new BusMessage.Video("s", 1, 0, 30, 64, 64, new Region(2, 2, 4, 4), new byte[0], 1));
        byte[] bytes = b.toByteArray();
        bytes[bytes.length - 4 - 8] = 3; // region x (u16, little-endian) becomes odd
        assertThrows(BusFormatException.class, () -> BusCodec.decode(Bytes.wrapForRead(bytes)));
    }
}
