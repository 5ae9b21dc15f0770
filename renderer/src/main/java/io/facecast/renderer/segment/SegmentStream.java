package io.facecast.renderer.segment;

import io.facecast.bus.BusRecord;
import io.facecast.bus.RecordKind;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.avatar.Region;

/**
 * One segment written progressively, for speech whose end is not known yet (streamed audio, text synthesized
 * sentence by sentence): {@link #start}, then {@link #frame} for each video frame with that frame's audio, then
 * {@link #end}. The records are exactly those {@link SegmentWriter} writes for the whole utterance at once: START = 0,
 * VIDEO j = 2j+1, AUDIO j = 2j+2 (media timestamp: the frame's first sample), END's sequence = frame count and its
 * media timestamp = total samples.
 */
public final class SegmentStream {
    private final RecordSink bus;
    private final String sessionId;
    private final long utteranceId;
    private final int width, height, fps;
    private final Region mouth;
    private long seq;
    private int frames;
    private long samples;
    private boolean started;

    public SegmentStream(RecordSink bus, String sessionId, long utteranceId, Avatar avatar, int fps) {
        this.bus = bus;
        this.sessionId = sessionId;
        this.utteranceId = utteranceId;
        this.width = avatar.width();
        this.height = avatar.height();
        this.mouth = avatar.mouthRegion();
        this.fps = fps;
    }

    public void start(String text) {
        if (started) {
            throw new IllegalStateException("segment " + utteranceId + " already started");
        }
        started = true;
        bus.append(BusRecord.of(RecordKind.SEGMENT_START, sessionId, utteranceId)
                .sequence(seq++).text(text).audioFormat(BusAudio.SAMPLE_RATE, BusAudio.CHANNELS).fps(fps).frameSize(width, height));
    }

    public boolean started() {
        return started;
    }

    /** Video frame {@link #frames()} (a mouth patch) and its audio, 48 kHz mono {@code pcm[from, to)}. */
    public void frame(byte[] mouthPatch, short[] pcm, int from, int to) {
        bus.append(
                BusRecord.of(RecordKind.VIDEO, sessionId, utteranceId)
                        .mediaTimestamp(frames).sequence(seq++).frameSize(width, height).fps(fps)
                        .region(mouth.x(), mouth.y(), mouth.width(), mouth.height()).payload(mouthPatch),
                BusRecord.of(RecordKind.AUDIO, sessionId, utteranceId)
                        .mediaTimestamp(samples).sequence(seq++).audioFormat(BusAudio.SAMPLE_RATE, BusAudio.CHANNELS)
                        .payload(BusAudio.toS16le(pcm, from, to)));
        frames++;
        samples += to - from;
    }

    public void end() {
        bus.append(BusRecord.of(RecordKind.SEGMENT_END, sessionId, utteranceId).mediaTimestamp(samples).sequence(frames));
    }

    public int frames() {
        return frames;
    }

    public long samples() {
        return samples;
    }
}
