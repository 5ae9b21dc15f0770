package io.facecast.renderer.tts;

import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.Utterance;
import com.sun.speech.freetts.UtteranceProcessor;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import io.facecast.renderer.RendererException;

import javax.sound.sampled.AudioFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * FreeTTS kevin16 (16 kHz diphone voice, pure Java, lexicon inside the jar). A FreeTTS {@link Voice} is not
 * thread-safe and takes a few hundred ms to load, so a fixed pool of loaded voices is built once and each synthesis
 * borrows one exclusively.
 */
public final class FreeTtsSynthesizer implements SpeechSynthesizer {
    public static final String DEFAULT_VOICE = "default";
    private static final String KEVIN16 = "kevin16";
    /** Public voice name -> FreeTTS voice name. */
    private static final Map<String, String> VOICES = Map.of(DEFAULT_VOICE, KEVIN16, KEVIN16, KEVIN16);

    private final BlockingQueue<LoadedVoice> pool;

    public FreeTtsSynthesizer(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
        }
        pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(new LoadedVoice(loadKevin16()));
        }
    }

    @Override
    public Set<String> voices() {
        return Collections.unmodifiableSet(new TreeSet<>(VOICES.keySet()));
    }

    @Override
    public Speech synthesize(String text, String voice) {
        if (!VOICES.containsKey(voice)) {
            throw RendererException.notFound("unknown voice '" + voice + "'; known voices: " + voices());
        }
        LoadedVoice v;
        try {
            v = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free voice", e);
        }
        try {
            return v.synthesize(text);
        } finally {
            pool.add(v);
        }
    }

    private static Voice loadKevin16() {
        for (Voice v : new KevinVoiceDirectory().getVoices()) {
            if (KEVIN16.equals(v.getName())) {
                return v;
            }
        }
        throw new IllegalStateException("FreeTTS jar does not contain the kevin16 voice");
    }

    /** One loaded voice with its capturing sink; used by one thread at a time. */
    private static final class LoadedVoice {
        private final Voice voice;
        private final CapturingAudioPlayer player = new CapturingAudioPlayer();
        private final List<Utterance> utterances = Collections.synchronizedList(new ArrayList<>());

        @SuppressWarnings("unchecked")
        LoadedVoice(Voice voice) {
            this.voice = voice;
            voice.setAudioPlayer(player);
            voice.allocate();
            // Runs after FreeTTS's own processors: the Segment relation then holds final phoneme end times.
            voice.getUtteranceProcessors().add((UtteranceProcessor) utterances::add);
        }

        Speech synthesize(String text) {
            player.clear();
            utterances.clear();
            voice.speak(text);
            AudioFormat format = player.getAudioFormat();
            int rate = format == null ? 16000 : Math.round(format.getSampleRate());
            boolean bigEndian = format == null || format.isBigEndian();
            byte[] raw = player.bytes();
            short[] pcm = toShorts(raw, bigEndian);
            List<Integer> starts = player.utteranceStartBytes();
            List<PhonemeTiming> phonemes = new ArrayList<>();
            List<String> wordNames = new ArrayList<>();
            List<Integer> wordStarts = new ArrayList<>();
            List<Utterance> utts = List.copyOf(utterances);
            // FreeTTS plays each internal utterance (sentence) separately; the k-th begin() belongs to the k-th utterance.
            for (int k = 0; k < Math.min(starts.size(), utts.size()); k++) {
                int start = starts.get(k) / 2;
                int end = (k + 1 < starts.size() ? starts.get(k + 1) : raw.length) / 2;
                addPhonemes(utts.get(k), start, end, rate, phonemes, wordNames, wordStarts);
            }
            return new Speech(pcm, rate, phonemes).withWords(WordTiming.align(text, wordNames, wordStarts));
        }

        /**
         * Maps the utterance's target phoneme end times onto the audio actually produced. The diphone concatenation
         * yields a few percent fewer samples than the targets add up to, so times are scaled to the real length
         * rather than drifting late towards the end of a sentence.
         */
        private static void addPhonemes(Utterance u, int startSample, int endSample, int rate, List<PhonemeTiming> out,
                                        List<String> wordNames, List<Integer> wordStarts) {
            Relation segments = u.getRelation(Relation.SEGMENT);
            if (segments == null || segments.getHead() == null) {
                return;
            }
            float targetSeconds = segments.getTail().getFeatures().getFloat("end");
            int actual = endSample - startSample;
            double scale = targetSeconds > 0 ? actual / (targetSeconds * rate) : 1.0;
            int prev = startSample;
            Item lastWord = null;
            for (Item it = segments.getHead(); it != null; it = it.getNext()) {
                String name = it.getFeatures().getString("name");
                int end = startSample + (int) Math.round(it.getFeatures().getFloat("end") * rate * scale);
                end = Math.max(prev, Math.min(end, endSample));
                out.add(new PhonemeTiming(name, prev, end));
                // A phoneme whose word (Segment -> SylStructure syllable -> word) differs from the last one's starts
                // that word: its first phoneme's start is the word's start.
                Item word = it.findItem("R:SylStructure.parent.parent");
                if (word != null && (lastWord == null || !word.equalsShared(lastWord))) {
                    wordNames.add(word.getFeatures().getString("name"));
                    wordStarts.add(prev);
                    lastWord = word;
                }
                prev = end;
            }
        }

        private static short[] toShorts(byte[] raw, boolean bigEndian) {
            short[] out = new short[raw.length / 2];
            for (int i = 0; i < out.length; i++) {
                int hi = bigEndian ? raw[2 * i] : raw[2 * i + 1];
                int lo = (bigEndian ? raw[2 * i + 1] : raw[2 * i]) & 0xff;
                out[i] = (short) ((hi << 8) | lo);
            }
            return out;
        }
    }
}
