package io.facecast.renderer.segment;

import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.audio.Resampler;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.viseme.MouthTrack;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An utterance's media in bus terms: 48 kHz PCM (padded so the mouth closes) and a mouth pose per video frame. */
public record SegmentMedia(short[] pcm, int fps, MouthTrack mouth) {
    /** Silence after the speech so the last frames show the mouth closing rather than freezing mid-word. */
    public static final int END_PAD_SAMPLES = BusAudio.SAMPLE_RATE / 10;

    private static final Map<Integer, Resampler> TO_BUS_RATE = new ConcurrentHashMap<>();

    public static SegmentMedia of(Speech speech, int fps) {
        short[] bus = speech.sampleRate() == BusAudio.SAMPLE_RATE ? speech.pcm()
                : TO_BUS_RATE.computeIfAbsent(speech.sampleRate(), r -> new Resampler(r, BusAudio.SAMPLE_RATE))
                        .resample(speech.pcm());
        short[] padded = Arrays.copyOf(bus, bus.length + END_PAD_SAMPLES);
        int frames = frameCount(padded.length, fps);
        return new SegmentMedia(padded, fps, new MouthTrack(speech.phonemes(), speech.sampleRate(), fps, frames));
    }

    /** F = ceil(L * fps / 48000). */
    public static int frameCount(int samples, int fps) {
        return (int) (((long) samples * fps + BusAudio.SAMPLE_RATE - 1) / BusAudio.SAMPLE_RATE);
    }

    /** First sample of frame j: floor(j * 48000 / fps). */
    public static int frameStartSample(int j, int fps) {
        return (int) ((long) j * BusAudio.SAMPLE_RATE / fps);
    }

    public int samples() {
        return pcm.length;
    }

    public int frames() {
        return mouth.frameCount();
    }
}
