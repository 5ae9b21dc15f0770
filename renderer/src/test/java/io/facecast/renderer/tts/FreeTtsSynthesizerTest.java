package io.facecast.renderer.tts;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.SharedTts;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class FreeTtsSynthesizerTest {
    private final SpeechSynthesizer tts = SharedTts.get();

    @Test
    void synthesizesAudibleSpeechWithOrderedPhonemesCoveringTheAudio() {
        Speech s = tts.synthesize("Hello world.", "default");
        assertEquals(16000, s.sampleRate());
        assertTrue(s.samples() > 8000, "at least half a second of audio, got " + s.samples());
        double rms = rms(s.pcm());
        assertTrue(rms > 300, "speech is audible, rms " + rms);

        List<String> names = s.phonemes().stream().map(PhonemeTiming::phoneme).toList();
        assertEquals(List.of("pau", "hh", "ax", "l", "ow", "w", "er", "l", "d", "pau"), names);
        int prevEnd = 0;
        for (PhonemeTiming p : s.phonemes()) {
            assertEquals(prevEnd, p.startSample(), "phonemes are contiguous: " + p);
            assertTrue(p.endSample() <= s.samples());
            prevEnd = p.endSample();
        }
        assertEquals(s.samples(), prevEnd, "the last phoneme ends with the audio");
    }

    @Test
    void sentencesAreConcatenatedWithTimingsOffsetPerSentence() {
        Speech one = tts.synthesize("Good morning.", "default");
        Speech two = tts.synthesize("Good morning. Good morning.", "default");
        assertEquals(2 * one.samples(), two.samples(), 4);
        long pauses = two.phonemes().stream().filter(p -> p.phoneme().equals("pau")).count();
        assertEquals(4, pauses, "each sentence starts and ends with a pause");
        PhonemeTiming secondStart = two.phonemes().get(one.phonemes().size());
        assertEquals(one.samples(), secondStart.startSample(), 4);
    }

    @Test
    void unknownVoiceIsNotFoundAndListsTheKnownOnes() {
        RendererException e = assertThrows(RendererException.class, () -> tts.synthesize("hi", "hal9000"));
        assertEquals(Status.Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("hal9000") && e.getMessage().contains("default"), e.getMessage());
        assertTrue(tts.voices().contains("default"));
    }

    @Test
    void concurrentSynthesisGivesTheSameResultAsSerial() throws Exception {
        String text = "The quick brown fox jumps over the lazy dog.";
        short[] expected = tts.synthesize(text, "default").pcm();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Speech>> results = pool.invokeAll(List.of(
                    () -> tts.synthesize(text, "default"), () -> tts.synthesize(text, "kevin16"),
                    () -> tts.synthesize(text, "default")));
            for (Future<Speech> f : results) {
                assertArrayEquals(expected, f.get().pcm());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static double rms(short[] pcm) {
        double sum = 0;
        for (short v : pcm) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / Math.max(1, pcm.length));
    }
}
