package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A validated pack at its own resolution: opaque RGB images, the mouth and blink images already laid over the first
 * idle frame (so transparent PNGs work and every image is the exact pixels the viewer will see). Immutable once
 * loaded: the built-in packs are shared by every session.
 */
public final class AvatarPack {
    private final PackManifest manifest;
    private final List<BufferedImage> idle;
    private final Map<MouthShape, BufferedImage> mouths;
    private final BufferedImage eyesClosed;

    AvatarPack(PackManifest manifest, List<BufferedImage> idle, Map<MouthShape, BufferedImage> mouths, BufferedImage eyesClosed) {
        this.manifest = manifest;
        this.idle = List.copyOf(idle);
        this.mouths = new EnumMap<>(mouths);
        this.eyesClosed = eyesClosed;
    }

    public PackManifest manifest() { return manifest; }
    public String name() { return manifest.name(); }
    public int width() { return manifest.width(); }
    public int height() { return manifest.height(); }
    public Region mouthRegion() { return manifest.mouth(); }
    public Region eyesRegion() { return manifest.eyes(); }
    public int idleFrames() { return idle.size(); }
    /** How many video frames in a row show idle frame {@code i}. */
    public int idleHold(int i) { return manifest.idleHolds().get(i); }
    public boolean blinks() { return eyesClosed != null; }

    /** The mouth-region image of {@code shape}. Do not modify. */
    BufferedImage mouth(MouthShape shape) {
        return mouths.get(shape);
    }

    /** The first idle frame (the face at rest: eyes open, mouth as the idle frame has it). Do not modify. */
    BufferedImage base() {
        return idle.get(0);
    }

    /** Idle frame {@code i} (0 is {@link #base()}). Do not modify. */
    BufferedImage idle(int i) {
        return idle.get(i);
    }

    /** A new full frame: the first idle frame with the mouth of {@code shape} (null: as idle) and the eyes open or closed. */
    public BufferedImage frame(MouthShape shape, boolean eyesClosed) {
        BufferedImage f = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = f.createGraphics();
        try {
            g.drawImage(base(), 0, 0, null);
            if (shape != null) {
                Region m = mouthRegion();
                g.drawImage(mouths.get(shape), m.x(), m.y(), null);
            }
            if (eyesClosed && this.eyesClosed != null) {
                Region e = eyesRegion();
                g.drawImage(this.eyesClosed, e.x(), e.y(), null);
            }
        } finally {
            g.dispose();
        }
        return f;
    }
}
