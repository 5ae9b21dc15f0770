package io.facecast.renderer.tts.espeak;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.tts.PhonemeTiming;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.viseme.MouthShape;
import io.facecast.renderer.viseme.MouthTrack;
import io.facecast.renderer.viseme.PhonemeVisemes;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Real libespeak-ng through JNA. */
class EspeakSynthesizerTest {
    @Test
    void phonemeTimingsComeFromTheLibraryAndFollowTheAudio() {
        EspeakSynthesizer espeak = EspeakInstalled.get();
        Speech s = espeak.synthesize("Hello world, this is a test.", "en-us");
        assertEquals(22050, s.sampleRate());
        assertTrue(s.timed());
        assertTrue(s.samples() > 22050 && s.samples() < 5 * 22050, s.samples() + " samples");
        List<PhonemeTiming> ph = s.phonemes();
        assertTrue(ph.size() >= 15, ph.toString());
        int prevStart = -1;
        for (PhonemeTiming p : ph) {
            assertTrue(p.startSample() > prevStart, "phoneme starts increase: " + ph);
            assertTrue(p.endSample() <= s.samples(), "within the audio: " + p);
            prevStart = p.startSample();
        }
        assertEquals(s.samples(), ph.get(ph.size() - 1).endSample(), "the last phoneme runs to the end of the audio");
        // h @@ l oU w 3: l d ...: the first word is there in ARPAbet, in order
        List<String> names = ph.stream().map(PhonemeTiming::phoneme).toList();
        int hh = names.indexOf("hh"), ow = names.indexOf("ow"), w = names.indexOf("w");
        assertTrue(hh >= 0 && hh < ow && ow < w, names.toString());

        // The timings are the audio's: vowels are loud, pauses quiet.
        double vowels = meanAbs(s, ph, true), pauses = meanAbs(s, ph, false);
        assertTrue(vowels > 4 * pauses, "vowel loudness " + vowels + " vs pauses " + pauses);

        // The mouth opens on the vowels and is closed at the end.
        int fps = 30;
        int frames = (int) ((long) s.samples() * fps / s.sampleRate()) + 6; // + 0.2 s of silence after the speech
        MouthTrack track = new MouthTrack(ph, s.sampleRate(), fps, frames);
        PhonemeTiming o = ph.get(ow);
        int oFrame = (int) ((o.startSample() + o.endSample()) / 2L * fps / s.sampleRate());
        assertTrue(track.at(oFrame).openness() > 0.35, "open on the 'o' of hello: " + track.at(oFrame));
        assertTrue(track.at(oFrame).roundness() > 0.3, "rounded on the 'o' of hello: " + track.at(oFrame));
        assertTrue(track.at(frames - 1).openness() < 0.1, "closed after the speech: " + track.at(frames - 1));
    }

    @Test
    void wordEventsGiveEachWordsPlaceInTheTextAndItsStartingSample() {
        EspeakSynthesizer espeak = EspeakInstalled.get();
        Speech s = espeak.synthesize("Hello brave new wörld.", "en-us");
        List<io.facecast.renderer.tts.WordTiming> words = s.words();
        assertEquals(List.of(0, 6, 12, 16), words.stream().map(io.facecast.renderer.tts.WordTiming::textOffset).toList(),
                words.toString());
        assertEquals(List.of(5, 5, 3, 5), words.stream().map(io.facecast.renderer.tts.WordTiming::textLength).toList());
        for (int i = 1; i < words.size(); i++) {
            assertTrue(words.get(i).startSample() > words.get(i - 1).startSample(), words.toString());
        }
        assertTrue(words.get(3).startSample() < s.samples());
        // Positions count code points: a character outside the BMP before a word still places it right.
        List<io.facecast.renderer.tts.WordTiming> w = EspeakSynthesizer.words("\uD83D\uDE00 hi", List.of(new int[] {3, 2, 100}));
        assertEquals(3, w.get(0).textOffset());
        assertEquals(2, w.get(0).textLength());
    }

    @Test
    void otherLanguagesSpeakWithTheirOwnPhonemes() {
        EspeakSynthesizer espeak = EspeakInstalled.get();
        assertTrue(espeak.voices().contains("de"), espeak.voices().toString());
        Speech s = espeak.synthesize("Guten Morgen, wie geht es Ihnen?", "de");
        assertTrue(s.samples() > 22050 / 2);
        assertTrue(s.phonemes().stream().anyMatch(p -> PhonemeVisemes.shapeOf(p.phoneme()) == MouthShape.A),
                "the m of Morgen closes the lips: " + s.phonemes());
    }

    /** espeak-ng has Klingon, Quenya and Sindarin voices: the unknown one is Martian. */
    @Test
    void anUnknownVoiceIsNotFoundAndListsInstalledOnes() {
        EspeakSynthesizer espeak = EspeakInstalled.get();
        RendererException e = assertThrows(RendererException.class, () -> espeak.requireVoice("martian"));
        assertEquals(Status.Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().startsWith("unknown espeak voice 'martian'; installed voices include espeak:en-us"),
                e.getMessage());
        RendererException path = assertThrows(RendererException.class, () -> espeak.synthesize("hi", "../../etc/passwd"));
        assertEquals(Status.Code.NOT_FOUND, path.code());
        for (String v : espeak.voices()) {
            espeak.requireVoice(v); // every listed language code is usable, though espeak itself only loads by identifier
        }
        espeak.requireVoice("en-us+f3"); // a variant
        espeak.requireVoice("en-us"); // and the library is still usable
        assertTrue(espeak.synthesize("Still here.", "en-us").samples() > 0);
    }

    private static double meanAbs(Speech s, List<PhonemeTiming> ph, boolean vowels) {
        double sum = 0;
        long n = 0;
        for (PhonemeTiming p : ph) {
            MouthShape shape = PhonemeVisemes.shapeOf(p.phoneme());
            boolean vowel = shape == MouthShape.C || shape == MouthShape.D || shape == MouthShape.E;
            boolean pause = shape == MouthShape.X;
            if (vowels ? vowel : pause) {
                for (int i = p.startSample(); i < p.endSample(); i++) {
                    sum += Math.abs(s.pcm()[i]);
                    n++;
                }
            }
        }
        assertTrue(n > 0, "no " + (vowels ? "vowels" : "pauses") + " in " + ph);
        return sum / n;
    }
}
