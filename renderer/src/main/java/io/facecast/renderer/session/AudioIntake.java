package io.facecast.renderer.session;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.audio.AudioDecoder;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.audio.Resampler;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Supplied audio on its way in: decodes each chunk on the caller's (gRPC) thread, resamples it to the bus rate and
 * buffers it for the render thread, which it wakes. Decoding errors therefore reach the caller of {@link #accept}
 * directly. The buffer is the only state shared with the render thread.
 */
final class AudioIntake implements AudioUpload {
    /**
     * Decoded audio waiting for the render thread is capped at this many bus-rate samples (5 s, 469 KiB); the
     * caller asks for the next chunk only below it ({@link #hasRoom}), so an upload pushed as fast as possible is
     * held back by gRPC flow control instead of being buffered here. One chunk may overshoot the cap by its size.
     */
    static final int MAX_BUFFERED_SAMPLES = 5 * BusAudio.SAMPLE_RATE;
    /** Resampler tables per declared client rate: a small LRU, so arbitrary rates cannot grow it. */
    private static final int RESAMPLER_CACHE_SIZE = 8;
    private static final Map<Integer, Resampler> TO_BUS_RATE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Resampler> eldest) {
                    return size() > RESAMPLER_CACHE_SIZE;
                }
            });

    private final AudioDecoder decoder;
    private final BooleanSupplier cancelled;
    private final Runnable wake;
    private Resampler.Stream resampler;
    private long bytes;
    private long sourceSamples;

    // Shared with the render thread, guarded by this.
    private short[] buf = new short[8192];
    private int readPos, writePos;
    private boolean inputDone;
    private long received;
    private Runnable onRoom;

    AudioIntake(AudioDecoder decoder, BooleanSupplier cancelled, Runnable wake) {
        this.decoder = decoder;
        this.cancelled = cancelled;
        this.wake = wake;
    }

    @Override
    public void accept(byte[] chunk) {
        if (isInputDone()) {
            return; // ended by an earlier error; later chunks of the same call are moot
        }
        if (cancelled.getAsBoolean()) {
            return; // interrupted: the rest of the upload is discarded unread
        }
        if (chunk.length > MAX_CHUNK_BYTES) {
            throw failed("audio chunk of " + chunk.length + " bytes is over the " + MAX_CHUNK_BYTES + "-byte limit; send smaller chunks");
        }
        bytes += chunk.length;
        if (bytes > MAX_BYTES) {
            throw failed("audio stream is over the " + (MAX_BYTES >> 20) + " MiB limit per utterance; split it into several utterances");
        }
        short[] mono;
        try {
            mono = decoder.decode(chunk);
        } catch (RendererException e) {
            failure = e.getMessage();
            endInput(null);
            throw e;
        }
        int rate = decoder.sampleRate();
        sourceSamples += mono.length;
        if (rate > 0 && sourceSamples > (long) MAX_SECONDS * rate) {
            throw failed("audio stream is longer than " + MAX_SECONDS + " s; split it into several utterances");
        }
        if (mono.length == 0) {
            return;
        }
        if (resampler == null) {
            resampler = resamplerFor(rate).stream();
        }
        append(resampler.push(mono), false);
    }

    static Resampler resamplerFor(int rate) {
        synchronized (TO_BUS_RATE) {
            return TO_BUS_RATE.computeIfAbsent(rate, r -> new Resampler(r, BusAudio.SAMPLE_RATE));
        }
    }

    static int cachedResamplers() {
        return TO_BUS_RATE.size();
    }

    @Override
    public boolean hasRoom(Runnable whenRoom) {
        synchronized (this) {
            if (inputDone || cancelled.getAsBoolean() || writePos - readPos < MAX_BUFFERED_SAMPLES) {
                return true;
            }
            onRoom = whenRoom;
        }
        // The render thread may have taken samples in between; it only calls back when it sees the hook set.
        return false;
    }

    @Override
    public void finish() {
        if (cancelled.getAsBoolean()) {
            endInput(null); // interrupted: whatever the rest was, it is discarded, not judged
            return;
        }
        try {
            decoder.finish();
        } catch (RendererException e) {
            failure = e.getMessage();
            abort();
            throw e;
        }
        if (sourceSamples == 0) {
            endInput(null);
            throw RendererException.invalid("the audio stream carried no samples; send at least one chunk of audio after the start");
        }
        endInput(resampler.flush());
    }

    @Override
    public void abort() {
        endInput(resampler == null ? null : resampler.flush());
    }

    /** Interrupted or closed: ends the input without touching the decoder (another thread may be using it). */
    void discard() {
        endInput(null);
    }

    private RendererException failed(String message) {
        failure = message;
        abort();
        return RendererException.invalid(message);
    }

    /** Why the upload failed (a limit, undecodable audio), or null: what was accepted is still spoken. */
    private volatile String failure;

    String failure() {
        return failure;
    }

    private void endInput(short[] tail) {
        synchronized (this) {
            if (inputDone) {
                return;
            }
            if (tail != null) {
                appendLocked(tail);
            }
            inputDone = true;
        }
        wake.run();
        roomNow();
    }

    /** Runs a pending flow-control callback when the buffer is below half the cap (or the upload is over). */
    private void roomNow() {
        Runnable r;
        synchronized (this) {
            if (onRoom == null || (!inputDone && !cancelled.getAsBoolean() && writePos - readPos > MAX_BUFFERED_SAMPLES / 2)) {
                return;
            }
            r = onRoom;
            onRoom = null;
        }
        r.run();
    }

    private void append(short[] samples, boolean last) {
        if (samples.length == 0) {
            return;
        }
        synchronized (this) {
            if (inputDone) {
                return;
            }
            appendLocked(samples);
        }
        wake.run();
    }

    private void appendLocked(short[] samples) {
        if (writePos + samples.length > buf.length) {
            int live = writePos - readPos;
            if (live + samples.length <= buf.length / 2) {
                System.arraycopy(buf, readPos, buf, 0, live);
            } else {
                short[] bigger = new short[Math.max(buf.length * 2, live + samples.length)];
                System.arraycopy(buf, readPos, bigger, 0, live);
                buf = bigger;
            }
            readPos = 0;
            writePos = live;
        }
        System.arraycopy(samples, 0, buf, writePos, samples.length);
        writePos += samples.length;
        received += samples.length;
    }

    // ---- render thread ----

    synchronized boolean isInputDone() {
        return inputDone;
    }

    synchronized int available() {
        return writePos - readPos;
    }

    /** Bus-rate samples received so far in total. */
    synchronized long received() {
        return received;
    }

    /** Up to {@code max} buffered samples, oldest first. */
    short[] take(int max) {
        short[] out;
        synchronized (this) {
            int n = Math.min(max, writePos - readPos);
            out = Arrays.copyOfRange(buf, readPos, readPos + n);
            readPos += n;
            if (readPos == writePos && buf.length > 4 * MAX_BUFFERED_SAMPLES) {
                // A chunk overshoot grew the buffer; give the memory back once it is drained.
                buf = new short[8192];
                readPos = 0;
                writePos = 0;
            }
        }
        roomNow();
        return out;
    }

    /** Capacity of the sample buffer (for tests of the bound). */
    synchronized int bufferCapacity() {
        return buf.length;
    }
}
