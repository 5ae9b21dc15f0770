package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loads and validates a pack. It checks everything before giving up, so one run lists every problem, each as
 * "file: problem" (missing file, unreadable PNG, wrong size, bad manifest field).
 */
public final class PackLoader {
    private PackLoader() {}

    /** @throws InvalidPackException listing every problem found */
    public static AvatarPack load(PackFiles files) {
        String where = files.location();
        byte[] json;
        try {
            json = files.read(PackManifest.FILE);
        } catch (IOException e) {
            throw new InvalidPackException(where, List.of(PackManifest.FILE + ": can not be read: " + e.getMessage()));
        }
        if (json == null) {
            throw new InvalidPackException(where, List.of(PackManifest.FILE + ": missing; every pack needs a manifest "
                    + "(see docs/avatar-packs.md, or build one with `pack build`)"));
        }
        PackManifest m = PackManifest.parse(json, files.folderName(), where);
        List<String> problems = new ArrayList<>();
        String frameSize = m.width() + "x" + m.height();

        List<BufferedImage> idle = new ArrayList<>();
        Map<String, BufferedImage> decoded = new java.util.HashMap<>(); // a file listed twice is one image in memory
        for (String p : m.idle()) {
            BufferedImage img = decoded.get(p);
            if (img == null) {
                img = png(files, p, "idle frame", problems);
                if (img == null || !size(img, m.width(), m.height(), p, "the frame (avatar.json width x height)", problems)) {
                    continue;
                }
                img = opaque(img);
                decoded.put(p, img);
            }
            idle.add(img);
        }
        BufferedImage base = idle.size() == m.idle().size() ? idle.get(0) : null;

        Map<MouthShape, BufferedImage> mouths = new EnumMap<>(MouthShape.class);
        Region mr = m.mouth();
        if (m.visemes() != null) {
            for (Map.Entry<MouthShape, String> e : m.visemes().entrySet()) {
                String p = e.getValue();
                BufferedImage img = png(files, p, "mouth image of viseme " + e.getKey(), problems);
                if (img != null && size(img, mr.width(), mr.height(), p, "the mouth region", problems) && base != null) {
                    mouths.put(e.getKey(), over(base, mr, img));
                }
            }
        } else {
            PackManifest.Sheet sheet = m.sheet();
            BufferedImage img = png(files, sheet.file(), "mouth sprite sheet", problems);
            int n = sheet.order().size();
            int rows = (n + sheet.columns() - 1) / sheet.columns();
            int w = sheet.columns() * mr.width(), h = rows * mr.height();
            if (img != null && (img.getWidth() != w || img.getHeight() != h)) {
                problems.add(sheet.file() + ": is " + img.getWidth() + "x" + img.getHeight() + " but a " + sheet.columns()
                        + "-column sheet of " + n + " cells of the " + mr.width() + "x" + mr.height()
                        + " mouth region must be " + w + "x" + h);
            } else if (img != null && base != null) {
                for (int i = 0; i < n; i++) {
                    BufferedImage cell = img.getSubimage((i % sheet.columns()) * mr.width(), (i / sheet.columns()) * mr.height(),
                            mr.width(), mr.height());
                    mouths.put(sheet.order().get(i), over(base, mr, cell));
                }
            }
        }

        BufferedImage eyesClosed = null;
        if (m.blink() != null) {
            Region er = m.eyes();
            BufferedImage img = png(files, m.blink(), "blink (eyes closed) image", problems);
            if (img != null && size(img, er.width(), er.height(), m.blink(), "the eyes region", problems) && base != null) {
                eyesClosed = over(base, er, img);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPackException(where, problems);
        }
        return new AvatarPack(m, idle, mouths, eyesClosed);
    }

    /** The PNG at {@code path}, or null after recording why it is missing or unreadable. */
    private static BufferedImage png(PackFiles files, String path, String role, List<String> problems) {
        byte[] bytes;
        try {
            bytes = files.read(path);
        } catch (IOException e) {
            problems.add(path + ": can not be read: " + e.getMessage());
            return null;
        }
        if (bytes == null) {
            problems.add(path + ": missing (avatar.json names it as the " + role + ")");
            return null;
        }
        try {
            return readPng(bytes);
        } catch (IOException e) {
            problems.add(path + ": not a readable PNG image: " + e.getMessage());
            return null;
        }
    }

    /** Decodes a PNG, checking its size from the header first so a huge image is refused before it is decoded. */
    public static BufferedImage readPng(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w > PackManifest.MAX_SIZE || h > PackManifest.MAX_SIZE) {
                    throw new IOException("it is " + w + "x" + h + "; images are at most " + PackManifest.MAX_SIZE
                            + " pixels on a side");
                }
                return reader.read(0);
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new IOException(why, e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean size(BufferedImage img, int w, int h, String path, String what, List<String> problems) {
        if (img.getWidth() == w && img.getHeight() == h) {
            return true;
        }
        problems.add(path + ": is " + img.getWidth() + "x" + img.getHeight() + " but must be " + w + "x" + h
                + " (the size of " + what + ")");
        return false;
    }

    static BufferedImage opaque(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** {@code img} laid over the {@code region} of {@code base}: transparent pixels show the idle face. */
    private static BufferedImage over(BufferedImage base, Region region, BufferedImage img) {
        BufferedImage out = new BufferedImage(region.width(), region.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(base, -region.x(), -region.y(), null);
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }
}
