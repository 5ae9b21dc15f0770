package io.facecast.renderer.tts.espeak;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.tts.PhonemeTiming;
import io.facecast.renderer.tts.WordTiming;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.SpeechSynthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * espeak-ng through libespeak-ng (JNA), with real phoneme timings: the library's synth callback reports a PHONEME
 * event with the sample where each phoneme starts (its CLI prints no timings for the default voices). Mnemonics are
 * mapped to ARPAbet by {@link EspeakPhonemes}. Audio is what the library produces (22050 Hz mono for the stock voices);
 * the session pipeline resamples it.
 *
 * <p>The library is process-global state (one current voice, one callback, one synthesis at a time), so there is one
 * instance per process and every call into it holds {@link #LOCK}. A sentence takes a few tens of milliseconds, so
 * sessions on espeak voices queue behind each other only briefly.
 */
public final class EspeakSynthesizer implements SpeechSynthesizer {
    private static final Logger log = LoggerFactory.getLogger(EspeakSynthesizer.class);
    private static final Object LOCK = new Object();
    /** Names as espeak-ng spells them ("en-us", "de", "en-us+f3", "English_(America)"); never a path. */
    private static final Pattern VOICE_NAME = Pattern.compile("[A-Za-z0-9_+()\\-]{1,64}");
    /** Shown first when a voice is unknown, if installed. */
    private static final List<String> COMMON = List.of("en-us", "en-gb", "de", "fr-fr", "es", "it", "pt", "nl", "ru", "cmn");
    // espeak_EVENT on 64-bit: type@0, audio_position@16, sample@20, id (char[8] for phonemes)@32; 40 bytes
    private static final int EVENT_BYTES = 40, EVENT_TYPE = 0, EVENT_SAMPLE = 20, EVENT_ID = 32;
    private static final int EVENT_LIST_TERMINATED = 0, EVENT_WORD = 1, EVENT_PHONEME = 7;
    /** espeak_EVENT.text_position (1-based, in characters of the input) and .length (characters, for words). */
    private static final int EVENT_TEXT_POSITION = 8, EVENT_LENGTH = 12;

    private static Optional<EspeakSynthesizer> instance;

    private final EspeakLibrary lib;
    private final int sampleRate;
    private final Set<String> voices;
    /**
     * Every language, name and identifier of the installed voices (lowercase) to the voice's identifier ("roa/fr"):
     * SetVoiceByName takes identifiers and names but not language codes, and silently falls back on unknown ones.
     */
    private final Map<String, String> identifiers;
    /** Held so the JVM never collects the callback the library calls. */
    private final EspeakLibrary.SynthCallback callback = this::onSynth;
    // Filled by the callback during one synthesis (under LOCK, on the synthesizing thread).
    private short[] pcm = new short[1 << 16];
    private int pcmLen;
    private final List<String> eventNames = new ArrayList<>();
    private final List<Integer> eventSamples = new ArrayList<>();
    /** Word events of one synthesis: {text position (1-based code points), length (code points), sample}. */
    private final List<int[]> eventWords = new ArrayList<>();

    private EspeakSynthesizer(EspeakLibrary lib, int sampleRate) {
        this.lib = lib;
        this.sampleRate = sampleRate;
        Set<String> main = new TreeSet<>();
        this.identifiers = Collections.unmodifiableMap(listVoices(lib, main));
        this.voices = Collections.unmodifiableSet(main);
        lib.espeak_SetSynthCallback(callback);
    }

    /**
     * The process's espeak-ng, or empty when libespeak-ng (or its data) is not installed. Loaded once; later calls
     * return the same answer.
     */
    public static Optional<EspeakSynthesizer> installed() {
        synchronized (LOCK) {
            if (instance == null) {
                instance = load();
            }
            return instance;
        }
    }

    private static Optional<EspeakSynthesizer> load() {
        EspeakLibrary lib;
        try {
            lib = Native.load("espeak-ng", EspeakLibrary.class);
        } catch (UnsatisfiedLinkError first) {
            try {
                lib = Native.load("libespeak-ng.so.1", EspeakLibrary.class); // runtime package only, no dev symlink
            } catch (UnsatisfiedLinkError e) {
                log.info("espeak-ng voices unavailable: libespeak-ng is not installed ({})", e.getMessage());
                return Optional.empty();
            }
        }
        int rate = lib.espeak_Initialize(EspeakLibrary.AUDIO_OUTPUT_SYNCHRONOUS, 0, null,
                EspeakLibrary.INITIALIZE_PHONEME_EVENTS | EspeakLibrary.INITIALIZE_DONT_EXIT);
        if (rate <= 0) {
            log.warn("espeak-ng voices unavailable: espeak_Initialize failed ({}); is espeak-ng-data installed?", rate);
            return Optional.empty();
        }
        EspeakSynthesizer s = new EspeakSynthesizer(lib, rate);
        log.info("espeak-ng loaded: {} voices at {} Hz", s.voices.size(), rate);
        return Optional.of(s);
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Every installed voice's main language code ("en-us", "de", ...); each one is a valid voice name. */
    @Override
    public Set<String> voices() {
        return voices;
    }

    @Override
    public void requireVoice(String voice) {
        synchronized (LOCK) {
            select(voice);
        }
    }

    @Override
    public Speech synthesize(String text, String voice) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(utf8.length + 1L);
        m.write(0, utf8, 0, utf8.length);
        m.setByte(utf8.length, (byte) 0);
        synchronized (LOCK) {
            select(voice);
            pcmLen = 0;
            eventNames.clear();
            eventSamples.clear();
            eventWords.clear();
            int err = lib.espeak_Synth(m, new NativeLong(utf8.length + 1L), 0, EspeakLibrary.POS_CHARACTER, 0,
                    EspeakLibrary.CHARS_UTF8, null, null);
            if (err != EspeakLibrary.EE_OK) {
                throw new IllegalStateException("espeak_Synth failed with error " + err);
            }
            lib.espeak_Synchronize();
            return new Speech(Arrays.copyOf(pcm, pcmLen), sampleRate, timings(eventNames, eventSamples, pcmLen))
                    .withWords(words(text, eventWords));
        }
    }

    /**
     * espeak's word events (character positions, 1-based, counted in code points of the input) as UTF-16 offsets in
     * {@code text}; events outside the text are dropped.
     */
    static List<WordTiming> words(String text, List<int[]> events) {
        List<WordTiming> out = new ArrayList<>();
        int codePoints = text.codePointCount(0, text.length());
        for (int[] e : events) {
            int from = e[0] - 1, n = e[1];
            if (from < 0 || n <= 0 || from + n > codePoints) {
                continue;
            }
            int start = text.offsetByCodePoints(0, from);
            int end = text.offsetByCodePoints(start, n);
            out.add(new WordTiming(start, end - start, Math.max(0, e[2])));
        }
        return out;
    }

    /** Each phoneme lasts from its event's sample to the next one's (the last to the end of the audio). */
    static List<PhonemeTiming> timings(List<String> names, List<Integer> starts, int totalSamples) {
        List<PhonemeTiming> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            int start = Math.min(starts.get(i), totalSamples);
            int end = i + 1 < names.size() ? Math.min(starts.get(i + 1), totalSamples) : totalSamples;
            if (!out.isEmpty()) {
                start = Math.max(start, out.get(out.size() - 1).endSample());
            }
            if (end > start) { // the end-of-clause marker can sit exactly at the end of the audio
                out.add(new PhonemeTiming(EspeakPhonemes.toArpabet(names.get(i)), start, end));
            }
        }
        return out;
    }

    /** Under LOCK. */
    private void select(String voice) {
        if (voice == null || !VOICE_NAME.matcher(voice).matches()) {
            throw RendererException.notFound("espeak voice '" + voice + "' is not a voice name; " + examples());
        }
        int plus = voice.indexOf('+'); // "en-us+f3": variant f3 of en-us
        String id = identifiers.get((plus < 0 ? voice : voice.substring(0, plus)).toLowerCase(Locale.ROOT));
        if (id == null || lib.espeak_SetVoiceByName(plus < 0 ? id : id + voice.substring(plus)) != EspeakLibrary.EE_OK) {
            throw RendererException.notFound("unknown espeak voice '" + voice + "'; " + examples());
        }
    }

    private String examples() {
        List<String> some = new ArrayList<>();
        for (String c : COMMON) {
            if (voices.contains(c)) {
                some.add("espeak:" + c);
            }
        }
        for (String v : voices) {
            if (some.size() >= 8) {
                break;
            }
            if (!some.contains("espeak:" + v)) {
                some.add("espeak:" + v);
            }
        }
        return "installed voices include " + String.join(", ", some) + " (" + voices.size()
                + " in all; `espeak-ng --voices` lists them)";
    }

    private int onSynth(Pointer wav, int numSamples, Pointer events) {
        if (wav != null && numSamples > 0) {
            if (pcmLen + numSamples > pcm.length) {
                pcm = Arrays.copyOf(pcm, Math.max(pcm.length * 2, pcmLen + numSamples));
            }
            wav.read(0, pcm, pcmLen, numSamples);
            pcmLen += numSamples;
        }
        if (events != null) {
            for (long off = 0; ; off += EVENT_BYTES) {
                int type = events.getInt(off + EVENT_TYPE);
                if (type == EVENT_LIST_TERMINATED) {
                    break;
                }
                if (type == EVENT_WORD) {
                    eventWords.add(new int[] {events.getInt(off + EVENT_TEXT_POSITION), events.getInt(off + EVENT_LENGTH),
                            events.getInt(off + EVENT_SAMPLE)});
                }
                if (type == EVENT_PHONEME) {
                    eventNames.add(phonemeName(events.getByteArray(off + EVENT_ID, 8)));
                    eventSamples.add(events.getInt(off + EVENT_SAMPLE));
                }
            }
        }
        return 0;
    }

    private static String phonemeName(byte[] id) {
        int n = 0;
        while (n < id.length && id[n] != 0) {
            n++;
        }
        return new String(id, 0, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * Adds each voice's first language ("en-us", "de") to {@code main}; returns every language, name and identifier
     * (lowercase) with the identifier to load. espeak_VOICE is {name*, languages*, identifier*, ...}; languages is a sequence of (priority byte,
     * NUL-terminated code) ending with a zero priority byte.
     */
    private static Map<String, String> listVoices(EspeakLibrary lib, Set<String> main) {
        Map<String, String> all = new HashMap<>();
        Pointer list = lib.espeak_ListVoices(null);
        if (list == null) {
            return all;
        }
        for (int i = 0; ; i++) {
            Pointer voice = list.getPointer((long) i * Native.POINTER_SIZE);
            if (voice == null) {
                break;
            }
            Pointer name = voice.getPointer(0), languages = voice.getPointer(Native.POINTER_SIZE);
            Pointer identifier = voice.getPointer(2L * Native.POINTER_SIZE);
            if (identifier == null) {
                continue;
            }
            String id = identifier.getString(0, "ISO-8859-1");
            // a language code belongs to its first voice (espeak lists the main voice of a language first)
            all.putIfAbsent(lower(id), id);
            all.putIfAbsent(lower(id.substring(id.lastIndexOf('/') + 1)), id);
            if (name != null) {
                all.putIfAbsent(lower(name.getString(0, "ISO-8859-1")), id);
            }
            long off = 0;
            while (languages != null && languages.getByte(off) != 0) {
                String lang = languages.getString(off + 1, "ISO-8859-1");
                if (off == 0) {
                    main.add(lang);
                }
                all.putIfAbsent(lower(lang), id);
                off += 2 + lang.length();
            }
        }
        return all;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
