package io.facecast.renderer.segment;

import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.avatar.Rgb2I420;

import java.util.function.BooleanSupplier;

/**
 * Writes one utterance to the bus as SEGMENT_START, then (VIDEO j, AUDIO of frame j's span) for every frame, then
 * SEGMENT_END. Video and audio are interleaved per frame so the streamer can start playing before the segment is
 * complete; their order in the session's queue is their order in the segment. SEGMENT_END carries the frame count and
 * the total samples.
 */
public final class SegmentWriter {
    private final RecordSink bus;

    public SegmentWriter(RecordSink bus) {
        this.bus = bus;
    }

    /**
     * @param cancelled polled between frames; once true nothing more is written (and no SEGMENT_END: the streamer
     *                  drops incomplete segments by utterance id)
     * @return true when the segment was written completely
     */
    public boolean write(String sessionId, long utteranceId, String text, SegmentMedia media, Avatar avatar,
                         boolean syncMarkers, BooleanSupplier cancelled) {
        int fps = media.fps();
        Region mouth = avatar.mouthRegion();
        short[] pcm = syncMarkers ? SyncMarkers.withToneBursts(media.pcm()) : media.pcm();
        byte[] white = syncMarkers ? Rgb2I420.solid(mouth.width(), mouth.height(), SyncMarkers.WHITE) : null;
        int samples = pcm.length;
        int frames = media.frames();
        if (cancelled.getAsBoolean()) {
            return false;
        }
        SegmentStream out = new SegmentStream(bus, sessionId, utteranceId, avatar, fps);
        out.start(text);
        for (int j = 0; j < frames; j++) {
            if (cancelled.getAsBoolean()) {
                return false;
            }
            byte[] patch = syncMarkers && SyncMarkers.isMarkerFrame(j, fps) ? white : avatar.mouthPatch(media.mouth().at(j));
            int from = Math.min(samples, SegmentMedia.frameStartSample(j, fps));
            int to = Math.min(samples, SegmentMedia.frameStartSample(j + 1, fps));
            out.frame(patch, pcm, from, to);
        }
        out.end();
        return true;
    }
}
