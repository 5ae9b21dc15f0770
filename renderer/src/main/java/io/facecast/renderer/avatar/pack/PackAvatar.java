package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.avatar.Rgb2I420;
import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.MouthShape;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AvatarPack} at one session's frame size. Every patch is prepared once, here: the base frame, the
 * eyes-closed patch and one I420 patch per mouth shape, each cut from the fitted full frame so patches line up with
 * the base exactly at any scale. A mouth pose then costs one cross-fade of two prepared patches.
 *
 * <p>Idle loops: every idle frame is fitted the same way and streamed as the session's idle loop; the eyes and mouth
 * patches are cut from the first, the base (see docs/avatar-packs.md).
 */
public final class PackAvatar implements Avatar {
    private final String name;
    private final int width, height;
    private final byte[] base;
    private final List<byte[]> idle;
    private final List<Integer> holds;
    private final Region eyes, mouth;
    private final byte[] eyesClosed;
    private final Map<MouthShape, byte[]> mouths = new EnumMap<>(MouthShape.class);

    public PackAvatar(AvatarPack pack, int width, int height) {
        if (width < 2 || height < 2 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("frame size must be even, got " + width + "x" + height);
        }
        this.name = pack.name();
        this.width = width;
        this.height = height;
        FrameFit fit = new FrameFit(pack.width(), pack.height(), width, height);
        Region full = new Region(0, 0, width, height);
        base = Rgb2I420.convert(fit.draw(pack.base(), full), width, height);
        List<byte[]> frames = new ArrayList<>(pack.idleFrames());
        frames.add(base);
        Map<java.awt.image.BufferedImage, byte[]> fitted = new java.util.IdentityHashMap<>(); // a pose used twice: one frame
        fitted.put(pack.idle(0), base);
        for (int i = 1; i < pack.idleFrames(); i++) {
            frames.add(fitted.computeIfAbsent(pack.idle(i), img -> Rgb2I420.convert(fit.draw(img, full), width, height)));
        }
        idle = List.copyOf(frames);
        holds = pack.manifest().idleHolds();
        // A pack without blink still needs an overlay region on the bus: a tiny one showing the base itself.
        eyes = pack.eyesRegion() == null ? new Region(0, 0, 2, 2) : fit.map(pack.eyesRegion());
        mouth = fit.map(pack.mouthRegion());
        eyesClosed = pack.blinks()
                ? Rgb2I420.convert(fit.draw(pack.frame(null, true), eyes), eyes.width(), eyes.height())
                : io.facecast.bus.I420.crop(base, width, height, eyes.x(), eyes.y(), eyes.width(), eyes.height());
        for (MouthShape s : MouthShape.values()) {
            mouths.put(s, Rgb2I420.convert(fit.draw(pack.frame(s, false), mouth), mouth.width(), mouth.height()));
        }
    }

    @Override public String name() { return name; }
    @Override public int width() { return width; }
    @Override public int height() { return height; }
    @Override public byte[] idleBase() { return base.clone(); }
    @Override public List<byte[]> idleFrames() { return idle.stream().map(byte[]::clone).toList(); }
    @Override public List<Integer> idleHolds() { return holds; }
    @Override public Region eyesRegion() { return eyes; }
    @Override public byte[] eyesClosedPatch() { return eyesClosed.clone(); }
    @Override public Region mouthRegion() { return mouth; }

    /** The prepared patch of one shape (a copy). */
    public byte[] shapePatch(MouthShape shape) {
        return mouths.get(shape).clone();
    }

    @Override
    public byte[] mouthPatch(MouthParams params) {
        VisemeBlend b = VisemeBlend.of(params);
        byte[] a = mouths.get(b.first());
        int wb = (int) Math.round(b.secondWeight() * 256);
        if (wb == 0) {
            return a.clone();
        }
        byte[] c = mouths.get(b.second());
        int wa = 256 - wb;
        byte[] out = new byte[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (((a[i] & 0xff) * wa + (c[i] & 0xff) * wb + 128) >> 8);
        }
        return out;
    }
}
