package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;

import java.util.ArrayList;

/**
 * One utterance as received from the renderer, plus where it sits on the session timeline once it plays. Owned by
 * the scheduler thread.
 *
 * <p>Frame and sample indices here are segment-local; {@link #frameBase} maps segment frame j to global frame
 * {@code frameBase + j} and {@link #sampleBase} maps segment sample i to global sample {@code sampleBase + i}. Both
 * move forward together, by whole frames, when the segment holds for a late renderer.
 */
final class Segment {
    /** Refuses a gap in the audio bigger than this (a corrupt timestamp, not a lost record). */
    private static final long MAX_AUDIO_GAP_SECONDS = 10;

    final long id;
    final String text;
    private final int sampleRate;
    private final int fps;

    // --- received media ---
    private final ArrayList<BusMessage.Video> frames = new ArrayList<>();
    private int contiguousFrames;
    private byte[] pcm = new byte[0];
    /** Global-in-segment index of the sample stored at pcm[0]: played audio is compacted away. */
    private long pcmFirstSample;
    private long audioReceived;
    private boolean ended;
    private int totalFrames;
    private long totalSamples;
    long acceptedAudioSamples;
    long acceptedVideoFrames;
    long retiredAudioSamples;
    long retiredVideoFrames;

    // --- playback (set once the segment is deciding frames) ---
    long frameBase;
    long sampleBase;
    long firstGlobalFrame;
    int nextFrame;
    int framesPushed;
    long lastPushedGlobalFrame = -1;
    long samplesPushed;
    int holdFrames;
    boolean doneDeciding;
    boolean startedFired;
    boolean finishedFired;
    private BusMessage.Video lastPatch;

    Segment(long id, String text, int sampleRate, int fps) {
        this.id = id;
        this.text = text;
        this.sampleRate = sampleRate;
        this.fps = fps;
    }

    long frameStartSample(long j) {
        return MediaTimeline.frameStartSample(j, sampleRate, fps);
    }

    /** Why the renderer ended this utterance early ("CODE: message" from SEGMENT_END), or "" when it did not. */
    String failure = "";

    /** A word that starts at segment frame {@code frame} (WORD_STARTED). */
    record Word(long frame, int textOffset, int textLength, String text) {}

    /** Words in arrival order (the renderer writes them in frame order), reported as their frame is pushed. */
    private final java.util.ArrayDeque<Word> words = new java.util.ArrayDeque<>();

    void addWord(long frame, int textOffset, int textLength, String text) {
        if (words.size() < 10_000) { // a runaway producer does not grow this without bound
            words.add(new Word(frame, textOffset, textLength, text));
        }
    }

    /** The next unreported word starting at or before frame {@code j}, removed; null when none. */
    Word nextWordThrough(long j) {
        Word w = words.peek();
        return w != null && w.frame() <= j ? words.poll() : null;
    }

    void addVideo(int j, BusMessage.Video patch) {
        while (frames.size() <= j) {
            frames.add(null);
        }
        frames.set(j, patch);
        while (contiguousFrames < frames.size() && frames.get(contiguousFrames) != null) {
            contiguousFrames++;
        }
    }

    /**
     * Appends PCM at segment sample {@code firstSample}. A repeat of samples already held is trimmed; a gap is
     * filled with silence so everything after it stays where the renderer put it.
     */
    boolean addAudio(long firstSample, byte[] payload) {
        long count = payload.length / 2;
        if (firstSample < 0 || firstSample - audioReceived > MAX_AUDIO_GAP_SECONDS * sampleRate) {
            return false;
        }
        long skip = Math.max(0, audioReceived - firstSample);
        if (skip >= count) {
            return true;
        }
        long end = firstSample + count;
        ensureCapacity(end);
        int gapFrom = (int) (audioReceived - pcmFirstSample) * 2;
        int writeAt = (int) (firstSample + skip - pcmFirstSample) * 2;
        if (writeAt > gapFrom) {
            java.util.Arrays.fill(pcm, gapFrom, writeAt, (byte) 0);
        }
        System.arraycopy(payload, (int) skip * 2, pcm, writeAt, (int) (count - skip) * 2);
        audioReceived = end;
        return true;
    }

    private void ensureCapacity(long endSample) {
        if ((endSample - pcmFirstSample) * 2 <= pcm.length) {
            return;
        }
        // Drop what has been played before growing: a long utterance keeps only its unplayed audio.
        long keepFrom = Math.max(pcmFirstSample, Math.min(samplesPushed, audioReceived));
        int keepBytes = (int) (audioReceived - keepFrom) * 2;
        long needBytes = (endSample - keepFrom) * 2;
        byte[] target = needBytes <= pcm.length ? pcm
                : new byte[(int) Math.max(needBytes, Math.max(2L * pcm.length, sampleRate * 2L))];
        System.arraycopy(pcm, (int) (keepFrom - pcmFirstSample) * 2, target, 0, keepBytes);
        pcm = target;
        pcmFirstSample = keepFrom;
    }

    /**
     * Copies segment samples [from, from + count) into {@code dst} at byte offset {@code dstOffset}; samples never
     * received (the padding after the last one) stay as they are in {@code dst}, which the caller zeroed.
     */
    void copyPcm(long from, int count, byte[] dst, int dstOffset) {
        long lo = Math.max(from, pcmFirstSample);
        long hi = Math.min(from + count, ended ? Math.min(audioReceived, totalSamples) : audioReceived);
        if (hi > lo) {
            // lo >= pcmFirstSample always holds: chunks are assembled in order and compaction keeps unplayed audio.
            System.arraycopy(pcm, (int) (lo - pcmFirstSample) * 2, dst, dstOffset + (int) (lo - from) * 2, (int) (hi - lo) * 2);
        }
        samplesPushed = Math.max(samplesPushed, from + count);
    }

    void end(long samples, int frameCount) {
        ended = true;
        totalSamples = samples;
        totalFrames = frameCount;
    }

    /** Ends the segment at what has been received (the renderer moved on or went silent without a SEGMENT_END). */
    void cutAtReceived() {
        if (!ended) {
            end(audioReceived, Math.max(nextFrame, contiguousFrames));
        }
    }

    /** Segment audio played so far, in milliseconds (the padding after the last sample not counted). */
    long playedMillis() {
        long real = ended ? Math.min(samplesPushed, totalSamples) : Math.min(samplesPushed, audioReceived);
        return real * 1000 / sampleRate;
    }

    boolean ended() { return ended; }
    int totalFrames() { return totalFrames; }
    long audioReceived() { return audioReceived; }
    int contiguousFrames() { return contiguousFrames; }

    /** Frame j and its audio are here (or never will be: after SEGMENT_END missing media plays as held/silent). */
    boolean ready(int j) {
        if (ended) {
            return true;
        }
        return contiguousFrames > j && audioReceived >= frameStartSample(j + 1);
    }

    boolean startable(long leadSamples, int leadFrames) {
        return ended || (audioReceived >= leadSamples && contiguousFrames >= leadFrames);
    }

    /** The patch of frame j, or the last one shown when the renderer never sent it; releases it for GC. */
    BusMessage.Video takePatch(int j) {
        BusMessage.Video p = j < frames.size() ? frames.get(j) : null;
        if (p != null) {
            frames.set(j, null);
            lastPatch = p;
        }
        return lastPatch;
    }
}
