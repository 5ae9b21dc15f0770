package io.facecast.bus;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.openhft.chronicle.bytes.Bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any bytes a queue may hold (a torn write, another build's records, a corrupted file) either decode to a record that
 * survives a write/read round trip or are refused with {@link BusFormatException}; nothing else may escape, because
 * the streamer's ingest loop handles exactly that one. Seeds: {@code BusCodecFuzzTestInputs/decode/}. Fuzzing for
 * real: docs/fuzzing.md.
 */
class BusCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) {
        BusRecord record;
        try {
            record = BusCodec.read(Bytes.wrapForRead(data), new BusRecord());
        } catch (BusFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        // What was accepted is a record the codec itself can write, and reads back unchanged.
        Bytes<?> again = Bytes.allocateElasticOnHeap();
        BusCodec.write(again, record);
        assertEquals(record, BusCodec.read(again, new BusRecord()));
        // The cheap header read agrees with the full one.
        assertEquals(record.sessionId(), BusCodec.readSessionId(Bytes.wrapForRead(data)));
    }
}
