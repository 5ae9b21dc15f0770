package io.facecast.client;

import io.facecast.rtc.MediaListener;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a receiving peer delivered: per-frame arrival times for every frame, the last {@code retainedFrames} frames
 * themselves (memory stays bounded: a 512x512 frame is 384 KiB), all audio, and any per-frame analyzers a caller
 * registers (to measure every frame without keeping it, or to stream frames to a {@link Y4mWriter}).
 *
 * <p>Fed from native media threads; all methods are thread-safe.
 */
public final class Recording implements MediaListener {
    /** One received frame: tightly packed I420. */
    /** @param renderNanos when libwebrtc meant the frame to be shown (System.nanoTime clock); 0 if unknown */
    public record Frame(byte[] i420, int width, int height, long arrivalNanos, long renderNanos) {
        public Frame(byte[] i420, int width, int height, long arrivalNanos) {
            this(i420, width, height, arrivalNanos, 0);
        }

        /** When a player shows this frame: its render time when known, else its arrival. */
        public long showNanos() {
            return renderNanos > 0 ? renderNanos : arrivalNanos;
        }

        public double meanLuma(int x, int y, int w, int h) {
            return I420Images.meanLuma(i420, width, height, x, y, w, h);
        }
    }

    /** Arrival of one frame, kept for every frame. */
    public record FrameInfo(long arrivalNanos, int width, int height) {
    }

    /** Sees every frame as it arrives, on a native thread: be quick, do not block. */
    @FunctionalInterface
    public interface FrameAnalyzer {
        void onFrame(Frame frame);
    }

    private final int retainedFrames;
    private final Deque<Frame> retained = new ArrayDeque<>();
    private final List<FrameInfo> frameInfos = new ArrayList<>();
    private final List<FrameAnalyzer> analyzers = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private final List<Long> audioChunkArrivals = new ArrayList<>();
    private int audioSampleRate;

    /** @param retainedFrames how many of the latest frames to keep in memory (0: none) */
    public Recording(int retainedFrames) {
        if (retainedFrames < 0) {
            throw new IllegalArgumentException("retainedFrames must be >= 0");
        }
        this.retainedFrames = retainedFrames;
    }

    public void addAnalyzer(FrameAnalyzer analyzer) {
        analyzers.add(analyzer);
    }

    public void removeAnalyzer(FrameAnalyzer analyzer) {
        analyzers.remove(analyzer);
    }

    @Override
    public void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos) {
        onVideoFrame(i420, width, height, arrivalNanos, 0);
    }

    @Override
    public void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos, long renderNanos) {
        Frame frame = new Frame(i420, width, height, arrivalNanos, renderNanos);
        synchronized (this) {
            frameInfos.add(new FrameInfo(arrivalNanos, width, height));
            if (retainedFrames > 0) {
                if (retained.size() == retainedFrames) {
                    retained.removeFirst();
                }
                retained.addLast(frame);
            }
        }
        for (FrameAnalyzer analyzer : analyzers) {
            analyzer.onFrame(frame);
        }
    }

    @Override
    public synchronized void onAudio(byte[] pcm, int sampleRate, long arrivalNanos) {
        if (audioSampleRate == 0) {
            audioSampleRate = sampleRate;
        } else if (sampleRate != audioSampleRate) {
            return; // one rate per recording; the receiving peer delivers 48 kHz
        }
        audio.write(pcm, 0, pcm.length);
        audioChunkArrivals.add(arrivalNanos);
    }

    public synchronized int frameCount() {
        return frameInfos.size();
    }

    public synchronized List<FrameInfo> frameInfos() {
        return List.copyOf(frameInfos);
    }

    /** The retained (latest) frames, oldest first. */
    public synchronized List<Frame> frames() {
        return List.copyOf(retained);
    }

    /** Frames per second between the first and last arrival; 0 with fewer than two frames. */
    public synchronized double measuredFps() {
        if (frameInfos.size() < 2) {
            return 0;
        }
        long span = frameInfos.get(frameInfos.size() - 1).arrivalNanos() - frameInfos.get(0).arrivalNanos();
        return span <= 0 ? 0 : (frameInfos.size() - 1) * 1e9 / span;
    }

    /** All received audio: signed 16-bit little-endian mono at {@link #audioSampleRate()}. */
    public synchronized byte[] audioPcm() {
        return audio.toByteArray();
    }

    /** 0 until audio arrived. */
    public synchronized int audioSampleRate() {
        return audioSampleRate;
    }

    public synchronized double audioSeconds() {
        return audioSampleRate == 0 ? 0 : audio.size() / 2.0 / audioSampleRate;
    }

    public synchronized List<Long> audioChunkArrivals() {
        return List.copyOf(audioChunkArrivals);
    }
}
