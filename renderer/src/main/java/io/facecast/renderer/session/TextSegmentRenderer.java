package io.facecast.renderer.session;

import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.audio.Resampler;
import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.avatar.Rgb2I420;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.segment.SegmentStream;
import io.facecast.renderer.segment.SyncMarkers;
import io.facecast.renderer.tts.PhonemeTiming;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.WordTiming;
import io.facecast.renderer.tts.SpeechSynthesizer;
import io.facecast.renderer.viseme.AudioMouth;
import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.StreamingMouthTrack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A text utterance streamed sentence by sentence into one segment: the first sentence is synthesized and its frames
 * written before the next sentence is synthesized, so the first frame waits for one sentence, not the whole text.
 * The sentences' audio is one continuous 48 kHz stream (one streaming resampler across them) and their phonemes one
 * timeline, so frames and mouth poses are exactly what rendering the whole text at once would give. A frame is
 * written once its audio and the phonemes its co-articulation window looks at are known; after the last sentence
 * {@link SegmentMedia#END_PAD_SAMPLES} of silence close the mouth and the segment ends. Every frame first asks the
 * session's {@link LookAheadGate}; a closed gate parks the utterance until playback catches up. Speech without
 * phoneme timings (a remote endpoint) moves the mouth from the audio itself ({@link AudioMouth}, no look-ahead). If
 * a later sentence fails to synthesize, the segment is ended where it is so the streamer does not wait for it.
 */
final class TextSegmentRenderer implements SegmentRenderer {
    private static final Map<Integer, Resampler> TO_BUS_RATE = new ConcurrentHashMap<>();

    private final SpeechSynthesizer tts;
    private final String voice;
    private final List<String> sentences;
    private final String text;
    private final SegmentStream out;
    private final Avatar avatar;
    private final int fps;
    private final boolean syncMarkers;
    private final long utteranceId;
    private final LookAheadGate gate;
    private final Runnable wake;
    private final StreamingMouthTrack mouth;
    private int lookAhead;
    /** Non-null when the voice gives no phoneme timings: poses then come from the audio. */
    private AudioMouth audioMouth;
    private int nextSentence;
    private Resampler.Stream resampler;
    private long sourceSamples;
    private int sourceRate;
    /** Synthesized bus-rate samples not yet written: global samples [bufStart, bufStart + bufLen) at buf[off...]. */
    private short[] buf = new short[16384];
    private int off;
    private long bufStart;
    private int bufLen;
    /** Total samples of the segment once the last sentence is in (pad included), else -1. */
    private long total = -1;
    private byte[] white;
    /** Where the next sentence is searched for in {@link #text} (sentences are its pieces, in order). */
    private int textCursor;
    /** Words synthesized but not yet written, in order: {bus start sample, text offset, text length}. */
    private final java.util.ArrayDeque<long[]> words = new java.util.ArrayDeque<>();

    TextSegmentRenderer(SpeechSynthesizer tts, String voice, List<String> sentences, String text, SegmentStream out,
                        Avatar avatar, int fps, boolean syncMarkers, long utteranceId, LookAheadGate gate, Runnable wake) {
        this.tts = tts;
        this.voice = voice;
        this.sentences = List.copyOf(sentences);
        this.text = text;
        this.out = out;
        this.avatar = avatar;
        this.fps = fps;
        this.syncMarkers = syncMarkers;
        this.utteranceId = utteranceId;
        this.gate = gate;
        this.wake = wake;
        this.mouth = new StreamingMouthTrack(BusAudio.SAMPLE_RATE, fps);
        this.lookAhead = StreamingMouthTrack.lookAheadSamples(BusAudio.SAMPLE_RATE, fps);
    }

    @Override
    public Progress step(BooleanSupplier cancelled) {
        while (true) {
            if (cancelled.getAsBoolean()) {
                return Progress.CANCELLED;
            }
            int j = out.frames();
            long from = SegmentMedia.frameStartSample(j, fps);
            long to = SegmentMedia.frameStartSample(j + 1, fps);
            if (total >= 0 && from >= total) {
                if (!out.started()) {
                    out.start(text);
                }
                out.end();
                return Progress.WRITTEN;
            }
            boolean ready = total >= 0 || to + lookAhead <= bufStart + bufLen;
            if (!ready) {
                try {
                    synthesizeNext();
                } catch (RuntimeException e) {
                    // What is on the bus stays playable; the client hears why it stopped once it has played.
                    if (!out.started()) {
                        out.start(text);
                    }
                    out.end(SegmentFailure.tts(voice, nextSentence, sentences.size(), e));
                    throw e;
                }
                continue;
            }
            if (!gate.mayWrite(utteranceId, j, wake)) {
                return Progress.WAITING;
            }
            writeFrame(j, from, total >= 0 ? Math.min(to, total) : to);
        }
    }

    private void synthesizeNext() {
        if (nextSentence == sentences.size()) {
            short[] tail = resampler == null ? new short[0] : resampler.flush();
            append(tail);
            append(new short[SegmentMedia.END_PAD_SAMPLES]);
            total = bufStart + bufLen;
            return;
        }
        String sentence = sentences.get(nextSentence++);
        Speech speech = tts.synthesize(sentence, voice);
        if (resampler == null) {
            sourceRate = speech.sampleRate();
            resampler = TO_BUS_RATE.computeIfAbsent(sourceRate, r -> new Resampler(r, BusAudio.SAMPLE_RATE)).stream();
            if (!speech.timed()) {
                audioMouth = new AudioMouth();
                lookAhead = 0;
            }
        } else if (speech.sampleRate() != sourceRate) {
            throw new IllegalStateException("voice '" + voice + "' changed its sample rate mid-utterance");
        } else if (speech.timed() != (audioMouth == null)) {
            throw new IllegalStateException("voice '" + voice + "' changed between timed and untimed speech mid-utterance");
        }
        List<PhonemeTiming> timed = new ArrayList<>(speech.phonemes().size());
        for (PhonemeTiming p : speech.phonemes()) {
            timed.add(new PhonemeTiming(p.phoneme(), toBus(sourceSamples + p.startSample()), toBus(sourceSamples + p.endSample())));
        }
        mouth.add(timed);
        int at = text.indexOf(sentence, textCursor);
        if (at >= 0) {
            textCursor = at + sentence.length();
            for (WordTiming w : speech.words()) {
                words.add(new long[] {toBus(sourceSamples + w.startSample()), at + w.textOffset(), w.textLength()});
            }
        }
        sourceSamples += speech.samples();
        append(resampler.push(speech.pcm()));
    }

    private int toBus(long sourceSample) {
        return (int) (sourceSample * BusAudio.SAMPLE_RATE / sourceRate);
    }

    private void writeFrame(int j, long from, long to) {
        if (!out.started()) {
            out.start(text);
        }
        // Words whose first phoneme starts in this frame (or earlier, never reported) start with it.
        while (!words.isEmpty() && words.peek()[0] < to) {
            long[] w = words.poll();
            int o = (int) w[1], n = (int) w[2];
            out.word(j, w[0], o, n, text.substring(o, o + n));
        }
        int a = off + (int) (from - bufStart), b = off + (int) (to - bufStart);
        byte[] patch;
        if (syncMarkers && SyncMarkers.isMarkerFrame(j, fps)) {
            pose(j, a, b); // keeps the track's state as if the frame were drawn
            if (white == null) {
                white = Rgb2I420.solid(avatar.mouthRegion().width(), avatar.mouthRegion().height(), SyncMarkers.WHITE);
            }
            patch = white;
            SyncMarkers.burstInto(buf, a, b);
        } else {
            patch = avatar.mouthPatch(pose(j, a, b));
        }
        out.frame(patch, buf, a, b);
        int consumed = b - off;
        bufStart += consumed;
        bufLen -= consumed;
        off = b;
    }

    private MouthParams pose(int j, int a, int b) {
        return audioMouth != null ? audioMouth.frame(buf, a, b) : mouth.next(j);
    }

    private void append(short[] samples) {
        if (off + bufLen + samples.length > buf.length) {
            short[] to = bufLen + samples.length > buf.length ? new short[Math.max(buf.length * 2, bufLen + samples.length)] : buf;
            System.arraycopy(buf, off, to, 0, bufLen);
            buf = to;
            off = 0;
        }
        System.arraycopy(samples, 0, buf, off + bufLen, samples.length);
        bufLen += samples.length;
    }
}
