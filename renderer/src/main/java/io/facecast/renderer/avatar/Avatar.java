package io.facecast.renderer.avatar;

import io.facecast.renderer.viseme.MouthParams;

import java.util.List;

/**
 * A face the renderer can animate: an idle base frame plus small I420 patches laid over it. Patch regions are fixed
 * for the avatar's lifetime so the streamer can compose any patch over the base without further layout.
 *
 * <p>Instances are confined to one session worker at a time; {@link #mouthPatch} may reuse internal buffers.
 */
public interface Avatar {
    String name();

    int width();

    int height();

    /** Full I420 frame at rest: mouth closed, eyes open. */
    byte[] idleBase();

    /**
     * The idle loop, full I420 frames played in order at the session fps, the first being {@link #idleBase()}. Blink
     * and mouth patches are laid over whichever frame is current; they are cut from the first, so later frames
     * should match it in the eyes and mouth regions.
     */
    default List<byte[]> idleFrames() {
        return List.of(idleBase());
    }

    /**
     * For each of {@link #idleFrames()}, how many video frames in a row show it (1..255): a calm loop holds few
     * frames long instead of repeating them.
     */
    default List<Integer> idleHolds() {
        return List.of(1);
    }

    Region eyesRegion();

    /** I420 patch of {@link #eyesRegion()} with the eyes closed (for blinking). */
    byte[] eyesClosedPatch();

    Region mouthRegion();

    /** I420 patch of {@link #mouthRegion()} showing the mouth in pose {@code params}. A new array on every call. */
    byte[] mouthPatch(MouthParams params);
}
