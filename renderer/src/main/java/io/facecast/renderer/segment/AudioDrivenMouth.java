package io.facecast.renderer.segment;

/**
 * Mouth patches computed from a segment's own audio (a neural lip-sync model) rather than handed in with each frame.
 * A patch may depend on audio after its frame, so {@link SegmentStream} holds frames back until {@link #ready}.
 * One instance per segment, used by one thread.
 */
public interface AudioDrivenMouth {
    /** The next frame's audio, 48 kHz mono {@code pcm[from, to)}, frames in order. */
    void audio(short[] pcm, int from, int to);

    /** The segment's audio is complete: every frame is ready now. */
    void finish();

    /** Whether frame {@code j}'s patch no longer depends on audio still to come. */
    boolean ready(int j);

    /** Frame {@code j}'s mouth patch (I420 of the avatar's mouth region); asked once per frame, in order, when ready. */
    byte[] patch(int j);
}
