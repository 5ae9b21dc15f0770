package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.FaceStyle;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Writes packs in the folder format: from images in memory, and from the procedural face ({@code export-default}). */
public final class PackWriter {
    /** The size the procedural faces are exported at: the renderer's default frame size. */
    public static final int EXPORT_SIZE = 512;

    private PackWriter() {}

    /**
     * Writes avatar.json, idle/NN.png, mouth/V.png and blink.png (when {@code blink} is not null) into {@code out}.
     * Mouth images are mouth-region sized, the blink image eyes-region sized.
     */
    public static PackManifest write(Path out, String name, List<BufferedImage> idle, Region eyes, Region mouth,
                                     Map<MouthShape, BufferedImage> mouths, BufferedImage blink) throws IOException {
        return write(out, name, idle, null, eyes, mouth, mouths, blink);
    }

    /** As above, idle frame i held {@code holds.get(i)} video frames (null: each held one). */
    public static PackManifest write(Path out, String name, List<BufferedImage> idle, List<Integer> holds, Region eyes,
                                     Region mouth, Map<MouthShape, BufferedImage> mouths, BufferedImage blink)
            throws IOException {
        Files.createDirectories(out.resolve("idle"));
        Files.createDirectories(out.resolve("mouth"));
        List<String> idleFiles = new ArrayList<>();
        Map<BufferedImage, String> written = new java.util.IdentityHashMap<>(); // a pose used twice is one file
        for (int i = 0; i < idle.size(); i++) {
            String f = written.get(idle.get(i));
            if (f == null) {
                f = String.format("idle/%02d.png", written.size());
                png(idle.get(i), out.resolve(f));
                written.put(idle.get(i), f);
            }
            idleFiles.add(f);
        }
        Map<MouthShape, String> visemes = new EnumMap<>(MouthShape.class);
        for (Map.Entry<MouthShape, BufferedImage> e : mouths.entrySet()) {
            String f = "mouth/" + e.getKey().name() + ".png";
            png(e.getValue(), out.resolve(f));
            visemes.put(e.getKey(), f);
        }
        String blinkFile = null;
        if (blink != null) {
            blinkFile = "blink.png";
            png(blink, out.resolve(blinkFile));
        }
        BufferedImage first = idle.get(0);
        PackManifest m = new PackManifest(name, first.getWidth(), first.getHeight(), idleFiles, blinkFile, eyes, mouth,
                visemes, null, holds);
        Files.writeString(out.resolve(PackManifest.FILE), m.toJson(), StandardCharsets.UTF_8);
        return m;
    }

    /**
     * The breathing idle loop of the exported faces: the shoulders rise and settle by up to 2.4 design pixels. Few
     * frames, each held (in video frames; about 3.1 s a breath at 25 fps): a long rest, a slow rise, a pause at the
     * top, a slow fall. Only the shoulders move: the head, eyes and mouth are the same in every frame. The fall
     * reuses the rise's poses, so a pack holds 4 images for the 6 loop frames.
     */
    static final double[] BREATH = {0, 0.8, 1.6, 2.4, 1.6, 0.8};
    static final int[] BREATH_HOLDS = {30, 6, 6, 20, 8, 8};

    /** The procedural face in {@code style} as a pack named after the style, at {@link #EXPORT_SIZE}. */
    public static PackManifest exportProcedural(FaceStyle style, Path out) throws IOException {
        return exportProcedural(style, out, true);
    }

    /** As above; without {@code breathing} the idle is one still frame. */
    public static PackManifest exportProcedural(FaceStyle style, Path out, boolean breathing) throws IOException {
        DefaultAvatar face = new DefaultAvatar(EXPORT_SIZE, EXPORT_SIZE, style);
        Region m = face.mouthRegion(), e = face.eyesRegion();
        List<BufferedImage> idle = new ArrayList<>();
        List<Integer> holds = new ArrayList<>();
        Map<Double, BufferedImage> poses = new java.util.HashMap<>();
        for (int i = 0; i < (breathing ? BREATH.length : 1); i++) {
            idle.add(poses.computeIfAbsent(BREATH[i], b -> face.drawFrame(true, MouthShape.X.pose, b)));
            holds.add(breathing ? BREATH_HOLDS[i] : 1);
        }
        Map<MouthShape, BufferedImage> mouths = new EnumMap<>(MouthShape.class);
        for (MouthShape s : MouthShape.values()) {
            mouths.put(s, crop(face.drawFrame(true, s.pose), m));
        }
        BufferedImage blink = crop(face.drawFrame(false, MouthShape.X.pose), e);
        return write(out, style.name(), idle, holds, e, m, mouths, blink);
    }

    static BufferedImage crop(BufferedImage src, Region r) {
        BufferedImage out = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(src.getSubimage(r.x(), r.y(), r.width(), r.height()), 0, 0, null);
        return out;
    }

    static void png(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }
}
