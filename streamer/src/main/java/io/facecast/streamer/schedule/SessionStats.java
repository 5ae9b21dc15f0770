package io.facecast.streamer.schedule;

/**
 * A snapshot of one session's pacing.
 *
 * @param mediaTimeMs          session timeline position: media time of the next video frame
 * @param videoFramesPushed    frames handed to the sink (held frames included, late-skipped ones not)
 * @param videoFramesSkipped   frames dropped because the scheduler was more than a frame late
 * @param audioChunksPushed    10 ms chunks handed to the sink
 * @param stalls               times a segment had to hold because the renderer was late
 * @param stalledFrames        frames held in those stalls
 * @param deliveredFps         video frames pushed during the last second of the clock
 * @param pacingP50Us          push time minus due time over the last {@code pacingWindow} pushes, microseconds
 * @param bufferedMillis       received media beyond the play position
 */
public record SessionStats(String sessionId, SpeechState state, long mediaTimeMs, long videoFramesPushed,
                           long videoFramesSkipped, long audioChunksPushed, long stalls, long stalledFrames,
                           double deliveredFps, long pacingP50Us, long pacingP99Us, long pacingMaxUs,
                           long bufferedMillis) {
}
