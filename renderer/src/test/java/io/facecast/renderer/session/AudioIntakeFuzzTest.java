package io.facecast.renderer.session;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.audio.AudioDecoder;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.audio.PcmDecoder;
import io.facecast.renderer.audio.WavDecoder;
import io.grpc.Status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SpeakAudio upload as a client may send it: WAV (any header) or raw PCM (any declared format), cut into chunks
 * anywhere. Decoding, resampling and buffering either take the audio or refuse it with INVALID_ARGUMENT and a message
 * ({@link RendererException}), exactly as {@link AudioUpload} documents; no other exception, no Error, and never more
 * samples buffered than the bytes can carry at the lowest accepted rate. Seeds: {@code AudioIntakeFuzzTestInputs/upload/}
 * (first byte: WAV or PCM). Fuzzing for real: docs/fuzzing.md.
 */
class AudioIntakeFuzzTest {
    private static final int[] RATES = {8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000, 192000};

    @FuzzTest(maxDuration = "30s")
    void upload(FuzzedDataProvider data) {
        AudioDecoder decoder;
        if (data.consumeBoolean()) {
            decoder = new WavDecoder();
        } else {
            int rate = data.consumeBoolean() ? data.pickValue(RATES) : data.consumeInt();
            int channels = data.consumeInt(0, 3);
            try {
                decoder = new PcmDecoder(rate, channels);
            } catch (RendererException e) {
                assertInvalid(e);
                return; // RenderSessions builds the decoder before any audio: this is the Speak call's answer
            }
        }
        AudioIntake intake = new AudioIntake(decoder, () -> false, () -> {});
        long bytes = 0;
        try {
            while (data.remainingBytes() > 1) {
                byte[] chunk = data.consumeBytes(data.consumeInt(0, 1024));
                bytes += chunk.length;
                intake.accept(chunk);
            }
            if (data.consumeBoolean()) {
                intake.finish();
            } else {
                intake.abort();
            }
        } catch (RendererException e) {
            assertInvalid(e);
        }
        // 16-bit mono at the lowest rate, upsampled to the bus rate, plus the resampler's tail.
        long most = bytes / 2 * (BusAudio.SAMPLE_RATE / PcmDecoder.MIN_RATE) + 64;
        assertTrue(intake.received() <= most, intake.received() + " samples from " + bytes + " bytes");
        assertEquals(intake.received(), intake.take(Integer.MAX_VALUE).length);
    }

    private static void assertInvalid(RendererException e) {
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertFalse(e.getMessage() == null || e.getMessage().isBlank());
    }
}
