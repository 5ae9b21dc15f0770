package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code pack build}: a pack from a loose folder of images. The folder holds idle frames ({@code idle.png},
 * {@code idle*.png} or {@code idle/*.png}, in name order), one image per mouth shape ({@code A.png} ... {@code H.png},
 * {@code X.png}) and optionally {@code blink.png}. Mouth and blink images are either full frames (the size of the idle
 * frame; the region is cut out) or already region-sized. Regions not given are found by comparing the full frames
 * with the first idle frame: the mouth region covers every pixel a mouth image changes, the eyes region every pixel
 * the blink image changes.
 */
public final class PackBuilder {
    /** Colour difference (sum over R, G, B) below which a pixel counts as unchanged (PNG exports of a face jitter). */
    static final int CHANGED = 24;
    /** Pixels of margin around a detected region, so anti-aliased edges are inside. */
    static final int MARGIN = 4;

    private PackBuilder() {}

    /** What was built, and how the regions were chosen (for the command to print). */
    public record Built(PackManifest manifest, List<String> notes) {}

    /**
     * @param mouth the mouth region, or null to detect it from full-frame mouth images
     * @param eyes  the eyes region, or null to detect it from a full-frame blink image
     * @throws InvalidPackException naming each input file and its problem
     */
    public static Built build(Path from, Path out, String name, Region mouth, Region eyes) throws IOException {
        String where = from.toAbsolutePath().normalize().toString();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(from)) {
            throw new InvalidPackException(where, List.of(from + ": not a folder"));
        }
        TreeMap<String, Path> idleFiles = new TreeMap<>();
        Map<MouthShape, Path> mouthFiles = new EnumMap<>(MouthShape.class);
        Path blinkFile = null;
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.list(from)) {
            s.sorted().forEach(inputs::add);
        }
        Path idleDir = from.resolve("idle");
        if (Files.isDirectory(idleDir)) {
            try (Stream<Path> s = Files.list(idleDir)) {
                s.filter(PackBuilder::isPng).forEach(p -> idleFiles.put("idle/" + p.getFileName(), p));
            }
        }
        for (Path p : inputs) {
            if (!isPng(p)) {
                continue;
            }
            String file = p.getFileName().toString();
            String stem = file.substring(0, file.length() - 4);
            if (stem.toLowerCase(Locale.ROOT).startsWith("idle")) {
                idleFiles.put(file, p);
            } else if (stem.equalsIgnoreCase("blink")) {
                blinkFile = p;
            } else if (stem.length() == 1 && PackManifest.shape(stem.toUpperCase(Locale.ROOT)) != null) {
                MouthShape shape = PackManifest.shape(stem.toUpperCase(Locale.ROOT));
                if (mouthFiles.put(shape, p) != null) {
                    problems.add(file + ": a second image for viseme " + shape + " (names differ only in case)");
                }
            } else if (stem.length() == 1) {
                problems.add(file + ": unknown viseme '" + stem + "'; the mouth shapes are " + PackManifest.shapeNames());
            } else {
                problems.add(file + ": not a pack image; name mouth images A.png ... H.png and X.png, idle frames "
                        + "idle*.png (or idle/*.png), the eyes-closed image blink.png");
            }
        }
        if (idleFiles.isEmpty()) {
            problems.add(from.getFileName() + ": no idle frame; add idle.png (or idle*.png, idle/*.png)");
        }
        for (MouthShape s : MouthShape.values()) {
            if (!mouthFiles.containsKey(s)) {
                problems.add(s.name() + ".png: missing; every mouth shape needs an image (" + s.name() + " is "
                        + PackManifest.describe(s) + ")");
            }
        }
        List<BufferedImage> idle = new ArrayList<>();
        for (Map.Entry<String, Path> e : idleFiles.entrySet()) {
            BufferedImage img = read(e.getKey(), e.getValue(), problems);
            if (img != null) {
                if (!idle.isEmpty() && (img.getWidth() != idle.get(0).getWidth() || img.getHeight() != idle.get(0).getHeight())) {
                    problems.add(e.getKey() + ": is " + img.getWidth() + "x" + img.getHeight() + " but the first idle frame "
                            + idleFiles.firstKey() + " is " + idle.get(0).getWidth() + "x" + idle.get(0).getHeight());
                } else {
                    idle.add(PackLoader.opaque(img));
                }
            }
        }
        Map<MouthShape, BufferedImage> mouthImages = new EnumMap<>(MouthShape.class);
        mouthFiles.forEach((s, p) -> {
            BufferedImage img = read(p.getFileName().toString(), p, problems);
            if (img != null) {
                mouthImages.put(s, img);
            }
        });
        BufferedImage blinkImage = blinkFile == null ? null : read(blinkFile.getFileName().toString(), blinkFile, problems);
        if (!problems.isEmpty() || idle.isEmpty()) {
            throw new InvalidPackException(where, problems);
        }
        BufferedImage base = idle.get(0);
        int w = base.getWidth(), h = base.getHeight();
        if (((w | h) & 1) != 0) {
            throw new InvalidPackException(where, List.of(idleFiles.firstKey() + ": is " + w + "x" + h
                    + "; frames must have an even width and height (I420 chroma is 2x2): crop or pad by one pixel"));
        }
        if (mouth == null) {
            mouth = detect(base, mouthImages.values(), "mouth", "A.png ... X.png", "--mouth", problems);
            if (mouth != null) {
                notes.add("mouth region detected from the full-frame mouth images: " + PackManifest.show(mouth));
            }
        }
        if (eyes == null && blinkImage != null) {
            eyes = detect(base, List.of(blinkImage), "eyes", "blink.png", "--eyes", problems);
            if (eyes != null) {
                notes.add("eyes region detected from the full-frame blink image: " + PackManifest.show(eyes));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPackException(where, problems);
        }
        Map<MouthShape, BufferedImage> mouths = new EnumMap<>(MouthShape.class);
        for (Map.Entry<MouthShape, BufferedImage> e : mouthImages.entrySet()) {
            BufferedImage m = fitRegion(e.getValue(), base, mouth, e.getKey().name() + ".png", "mouth", problems);
            if (m != null) {
                mouths.put(e.getKey(), m);
            }
        }
        BufferedImage blink = blinkImage == null ? null : fitRegion(blinkImage, base, eyes, "blink.png", "eyes", problems);
        if (!problems.isEmpty()) {
            throw new InvalidPackException(where, problems);
        }
        PackManifest m = PackWriter.write(out, name, idle, eyes, mouth, mouths, blink);
        PackLoader.load(PackFiles.folder(out)); // the regions given may still be odd or outside the frame
        return new Built(m, notes);
    }

    private static boolean isPng(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }

    private static BufferedImage read(String name, Path p, List<String> problems) {
        try {
            return PackLoader.readPng(Files.readAllBytes(p));
        } catch (IOException e) {
            problems.add(name + ": not a readable PNG image: " + e.getMessage());
            return null;
        }
    }

    /** A full frame is cut to the region; a region-sized image is taken as it is. */
    private static BufferedImage fitRegion(BufferedImage img, BufferedImage base, Region r, String file, String what,
                                           List<String> problems) {
        if (img.getWidth() == base.getWidth() && img.getHeight() == base.getHeight()) {
            return PackWriter.crop(PackLoader.opaque(img), r);
        }
        if (r != null && img.getWidth() == r.width() && img.getHeight() == r.height()) {
            return img;
        }
        problems.add(file + ": is " + img.getWidth() + "x" + img.getHeight() + "; it must be a full frame ("
                + base.getWidth() + "x" + base.getHeight() + ") or the size of the " + what + " region"
                + (r == null ? "" : " (" + r.width() + "x" + r.height() + ")"));
        return null;
    }

    /** The even-aligned box (plus margin) around every pixel where a full-frame image differs from the base. */
    private static Region detect(BufferedImage base, Iterable<BufferedImage> images, String what, String files,
                                 String option, List<String> problems) {
        int w = base.getWidth(), h = base.getHeight();
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        boolean anyFull = false;
        for (BufferedImage img : images) {
            if (img.getWidth() != w || img.getHeight() != h) {
                continue;
            }
            anyFull = true;
            BufferedImage o = PackLoader.opaque(img);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int a = base.getRGB(x, y), b = o.getRGB(x, y);
                    int d = Math.abs((a >> 16 & 255) - (b >> 16 & 255)) + Math.abs((a >> 8 & 255) - (b >> 8 & 255))
                            + Math.abs((a & 255) - (b & 255));
                    if (d >= CHANGED) {
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
            }
        }
        if (!anyFull) {
            problems.add(files + ": the " + what + " images are not full frames, so the " + what
                    + " region can not be detected; give it with " + option + " x,y,w,h");
            return null;
        }
        if (x1 < 0) {
            problems.add(files + ": no " + what + " image differs from the idle frame, so the " + what
                    + " region can not be detected; give it with " + option + " x,y,w,h");
            return null;
        }
        return Region.covering(x0 - MARGIN, y0 - MARGIN, x1 + 1 + MARGIN, y1 + 1 + MARGIN, w, h);
    }
}
