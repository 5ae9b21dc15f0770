package io.facecast.renderer.audio;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class StreamingResamplerTest {
    @Test
    void chunkedOutputEqualsWholeBufferOutputForCommonRates() {
        for (int rate : new int[] {16000, 22050, 24000, 44100, 8000}) {
            short[] in = TestAudio.concat(TestAudio.sine(440, rate, rate / 3, 9000), TestAudio.noise(rate / 5, 4000, rate));
            Resampler r = new Resampler(rate, 48000);
            short[] whole = r.resample(in);
            Resampler.Stream s = r.stream();
            Random random = new Random(rate);
            short[] streamed = new short[0];
            int at = 0;
            while (at < in.length) {
                int n = Math.min(in.length - at, random.nextInt(700)); // includes empty and 1-sample chunks
                short[] chunk = java.util.Arrays.copyOfRange(in, at, at + n);
                streamed = TestAudio.concat(streamed, s.push(chunk));
                at += n;
            }
            streamed = TestAudio.concat(streamed, s.flush());
            assertArrayEquals(whole, streamed, "rate " + rate);
        }
    }

    @Test
    void outputFollowsInputWithinTheFilterLength() {
        Resampler.Stream s = new Resampler(16000, 48000).stream();
        short[] out = s.push(new short[320]); // 20 ms
        assertTrue(out.length >= 3 * (320 - 16), "at most 16 input samples held back, got " + out.length);
    }

    @Test
    void sameRateIsAPassThrough() {
        short[] in = TestAudio.sine(1000, 48000, 4800, 1000);
        Resampler.Stream s = new Resampler(48000, 48000).stream();
        assertArrayEquals(in, s.push(in));
        assertEquals(0, s.flush().length);
    }
}
