package io.facecast.renderer.segment;

import io.facecast.bus.BusMessage;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.avatar.Region;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One segment written progressively, for speech whose end is not known yet (streamed audio, text synthesized
 * sentence by sentence): {@link #start}, then {@link #frame} for each video frame with that frame's audio, then
 * {@link #end}. The records are exactly those {@link SegmentWriter} writes for the whole utterance at once, in this
 * order: START, then VIDEO j (frame j) and AUDIO j (from the frame's first sample) for each frame, then END (frame
 * count and total samples).
 *
 * <p>With an {@link AudioDrivenMouth} the patches passed to {@link #frame} are ignored: each frame is held until the
 * mouth has the audio its patch needs, then written with the mouth's patch ({@link #end} writes the rest).
 */
public final class SegmentStream {
    private final RecordSink bus;
    private final String sessionId;
    private final long utteranceId;
    private final int width, height, fps;
    private final Region mouth;
    /** Where the mouth patch goes in the frame, as the bus carries it. */
    private final BusMessage.Region region;
    private int frames;
    private long samples;
    private boolean started;
    private final AudioDrivenMouth audioMouth;
    /** Audio of frames passed in but not written yet (audio-driven mouth only), oldest first. */
    private final ArrayDeque<short[]> held = new ArrayDeque<>();

    public SegmentStream(RecordSink bus, String sessionId, long utteranceId, Avatar avatar, int fps) {
        this(bus, sessionId, utteranceId, avatar, fps, null);
    }

    /** @param audioMouth computes the patches from the audio instead; null: the patches passed to {@link #frame} */
    public SegmentStream(RecordSink bus, String sessionId, long utteranceId, Avatar avatar, int fps, AudioDrivenMouth audioMouth) {
        this.audioMouth = audioMouth;
        this.bus = bus;
        this.sessionId = sessionId;
        this.utteranceId = utteranceId;
        this.width = avatar.width();
        this.height = avatar.height();
        this.mouth = avatar.mouthRegion();
        this.region = new BusMessage.Region(mouth.x(), mouth.y(), mouth.width(), mouth.height());
        this.fps = fps;
    }

    public void start(String text) {
        if (started) {
            throw new IllegalStateException("segment " + utteranceId + " already started");
        }
        started = true;
        bus.append(new BusMessage.SegmentStart(sessionId, utteranceId, text, BusAudio.SAMPLE_RATE, BusAudio.CHANNELS,
                fps, width, height, 0));
    }

    public boolean started() {
        return started;
    }

    /**
     * Word {@code word} at {@code [textOffset, textOffset + textLength)} of the utterance text starts at segment
     * sample {@code startSample}, in video frame {@code frame}; written before that frame (WORD_STARTED).
     */
    public void word(int frame, long startSample, int textOffset, int textLength, String word) {
        bus.append(new BusMessage.WordStarted(sessionId, utteranceId, frame, startSample, textOffset, textLength, word, 0));
    }

    /** Video frame {@link #frames()} (a mouth patch) and its audio, 48 kHz mono {@code pcm[from, to)}. */
    public void frame(byte[] mouthPatch, short[] pcm, int from, int to) {
        if (audioMouth == null) {
            write(mouthPatch, pcm, from, to);
            return;
        }
        held.add(Arrays.copyOfRange(pcm, from, to));
        audioMouth.audio(pcm, from, to);
        writeReady();
    }

    private void writeReady() {
        while (!held.isEmpty() && audioMouth.ready(frames)) {
            short[] pcm = held.poll();
            write(audioMouth.patch(frames), pcm, 0, pcm.length);
        }
    }

    private void write(byte[] mouthPatch, short[] pcm, int from, int to) {
        bus.append(
                new BusMessage.Video(sessionId, utteranceId, frames, fps, width, height, region, mouthPatch, 0),
                new BusMessage.Audio(sessionId, utteranceId, samples, BusAudio.SAMPLE_RATE, BusAudio.CHANNELS,
                        BusAudio.toS16le(pcm, from, to), 0));
        frames++;
        samples += to - from;
    }

    public void end() {
        end("");
    }

    /** Ends the segment early for {@code failure} ("CODE: message", see RecordKind.SEGMENT_END); "" = completed. */
    public void end(String failure) {
        if (audioMouth != null) {
            audioMouth.finish();
            writeReady();
        }
        bus.append(new BusMessage.SegmentEnd(sessionId, utteranceId, samples, frames, failure, 0));
    }

    /** Frames passed to {@link #frame} so far (written, or held for an audio-driven mouth). */
    public int frames() {
        return frames + held.size();
    }

    public long samples() {
        return samples;
    }
}
