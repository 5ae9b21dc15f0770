package io.facecast.bus;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.openhft.chronicle.bytes.Bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any bytes a queue may hold (a torn write, another build's records, a corrupted file, a version-1/2 record) either
 * decode to a typed record that survives a write/read round trip (as version 3) or are refused with
 * {@link BusFormatException}; nothing else may escape, because the streamer's ingest loop handles exactly that one. Seeds: {@code BusCodecFuzzTestInputs/decode/}. Fuzzing for
 * real: docs/fuzzing.md.
 */
class BusCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) {
        BusMessage record;
        try {
            record = BusCodec.decode(Bytes.wrapForRead(data));
        } catch (BusFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        // What was accepted is a record the codec itself can write, and reads back unchanged.
        Bytes<?> again = Bytes.allocateElasticOnHeap();
        BusCodec.write(again, record);
        assertEquals(record, BusCodec.decode(again));
    }
}
