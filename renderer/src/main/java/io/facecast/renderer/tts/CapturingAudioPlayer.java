package io.facecast.renderer.tts;

import com.sun.speech.freetts.audio.AudioPlayer;

import javax.sound.sampled.AudioFormat;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * FreeTTS audio sink that keeps the PCM in memory instead of playing it. FreeTTS calls {@link #begin(int)} once per
 * internal utterance (sentence), so the byte offsets recorded there tell where each utterance's audio starts.
 * Used by one synthesis at a time (its voice is never shared concurrently).
 */
final class CapturingAudioPlayer implements AudioPlayer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    private final List<Integer> utteranceStartBytes = new ArrayList<>();
    private AudioFormat format;

    synchronized void clear() {
        bytes.reset();
        utteranceStartBytes.clear();
    }

    synchronized byte[] bytes() { return bytes.toByteArray(); }

    synchronized List<Integer> utteranceStartBytes() { return List.copyOf(utteranceStartBytes); }

    @Override public synchronized void setAudioFormat(AudioFormat f) { format = f; }
    @Override public synchronized AudioFormat getAudioFormat() { return format; }
    @Override public void pause() {}
    @Override public void resume() {}
    @Override public void reset() {}
    @Override public boolean drain() { return true; }
    @Override public synchronized void begin(int size) { utteranceStartBytes.add(bytes.size()); }
    @Override public boolean end() { return true; }
    @Override public void cancel() {}
    @Override public void close() {}
    @Override public float getVolume() { return 1f; }
    @Override public void setVolume(float volume) {}
    @Override public long getTime() { return 0; }
    @Override public void resetTime() {}
    @Override public void startFirstSampleTimer() {}
    @Override public boolean write(byte[] audio) { return write(audio, 0, audio.length); }

    @Override
    public synchronized boolean write(byte[] audio, int offset, int length) {
        bytes.write(audio, offset, length);
        return true;
    }

    @Override public void showMetrics() {}
}
