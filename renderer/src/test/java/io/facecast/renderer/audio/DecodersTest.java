package io.facecast.renderer.audio;

import io.facecast.renderer.RendererException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class DecodersTest {
    static short[] feed(AudioDecoder d, byte[] bytes, int chunk) {
        short[] out = new short[0];
        for (int at = 0; at < bytes.length; at += chunk) {
            out = TestAudio.concat(out, d.decode(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk))));
        }
        d.finish();
        return out;
    }

    @Test
    void pcmSurvivesChunksSplitInsideSamplesAndStereoIsMixedDown() {
        short[] mono = TestAudio.sine(300, 16000, 1601, 8000);
        assertArrayEquals(mono, feed(new PcmDecoder(16000, 1), TestAudio.s16le(mono), 7));
        short[] stereo = new short[4];
        stereo[0] = 1000; stereo[1] = 3000; stereo[2] = -2000; stereo[3] = -4000;
        assertArrayEquals(new short[] {2000, -3000}, feed(new PcmDecoder(44100, 2), TestAudio.s16le(stereo), 3));
    }

    @Test
    void wavHeaderIsParsedAcrossChunksAndDataDecoded() {
        short[] mono = TestAudio.sine(200, 22050, 2205, 7000);
        WavDecoder d = new WavDecoder();
        assertArrayEquals(mono, feed(d, TestAudio.wav16(1, 22050, mono), 5));
        assertEquals(22050, d.sampleRate());
    }

    @Test
    void streamedWavWithUnknownLengthRunsToTheEndAndTrailingChunksAfterDeclaredDataAreIgnored() {
        short[] mono = TestAudio.sine(200, 16000, 1000, 7000);
        byte[] data = TestAudio.s16le(mono);
        assertArrayEquals(mono, feed(new WavDecoder(), TestAudio.wav(1, 1, 16000, 16, data, 0xFFFFFFFFL), 64));
        // espeak-ng --stdout and other streaming writers put 0x7FFFF000 there: also "until the end"
        assertArrayEquals(mono, feed(new WavDecoder(), TestAudio.wav(1, 1, 16000, 16, data, 0x7FFFF000L), 64));
        byte[] withTrailer = TestAudio.concat2(TestAudio.wav16(1, 16000, mono), "LIST\u0004\0\0\0INFO".getBytes());
        assertArrayEquals(mono, feed(new WavDecoder(), withTrailer, 100));
    }

    @Test
    void badAudioIsRejectedWithPreciseMessages() {
        byte[] pcm = TestAudio.s16le(new short[100]);
        invalid("not a WAV file: it starts with 'ID3\\x04'", () -> new WavDecoder().decode(new byte[] {'I', 'D', '3', 4, 0, 0}));
        invalid("WAV format code 3 (IEEE float)", () -> new WavDecoder().decode(TestAudio.wav(3, 1, 16000, 32, pcm, pcm.length)));
        invalid("WAV has 24 bits per sample", () -> new WavDecoder().decode(TestAudio.wav(1, 1, 16000, 24, pcm, pcm.length)));
        invalid("WAV channels 6", () -> new WavDecoder().decode(TestAudio.wav(1, 6, 16000, 16, pcm, pcm.length)));
        invalid("truncated WAV: the stream ended after 20 bytes", () -> feed(new WavDecoder(),
                Arrays.copyOf(TestAudio.wav16(1, 16000, new short[10]), 20), 8));
        invalid("'data' chunk declares 200 bytes but only 100 arrived", () -> feed(new WavDecoder(),
                TestAudio.wav(1, 1, 16000, 16, TestAudio.s16le(new short[50]), 200), 50));
        invalid("sample_rate 4000 Hz is not supported", () -> new PcmDecoder(4000, 1));
        invalid("channels 0 is not supported", () -> new PcmDecoder(16000, 0));
        invalid("cannot be resampled to 48000 Hz exactly", () -> new PcmDecoder(44101, 1));
        invalid("ended inside a sample frame (3 stray byte(s))", () -> feed(new PcmDecoder(16000, 2), new byte[7], 7));
    }

    static void invalid(String message, Executable call) {
        RendererException e = assertThrows(RendererException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
