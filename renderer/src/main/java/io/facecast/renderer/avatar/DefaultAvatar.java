package io.facecast.renderer.avatar;

import io.facecast.bus.I420;
import io.facecast.renderer.viseme.MouthParams;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A friendly cartoon face drawn with Java2D. The drawing is authored in a 512x512 design space and scaled (uniformly,
 * centred) to the requested size. Mouth patches redraw only the mouth region over a cached copy of the face without a
 * mouth, which keeps a patch well under a millisecond at 512x512.
 */
public final class DefaultAvatar implements Avatar {
    public static final String NAME = "default";
    private static final double DESIGN = 512.0;
    private static final double MOUTH_CX = 256, MOUTH_CY = 332;

    private static final Color MOUTH_INSIDE = new Color(0x4A1A22);
    private static final Color TONGUE = new Color(0xD9707A);
    private static final Color TEETH = new Color(0xFAFAF5);
    private static final Color INK = new Color(0x3B2A25);

    private final FaceStyle style;
    private final int width;
    private final int height;
    private final AffineTransform design;
    private final byte[] idleBase;
    private final Region eyesRegion;
    private final byte[] eyesClosed;
    private final Region mouthRegion;
    private final int[] mouthBackground;
    private final BufferedImage mouthImage;
    private final int[] mouthPixels;
    private final Graphics2D mouthGraphics;

    public DefaultAvatar(int width, int height) {
        this(width, height, FaceStyle.DEFAULT);
    }

    /** The face in another {@link FaceStyle} (the shipped packs are exported from these). */
    public DefaultAvatar(int width, int height, FaceStyle style) {
        this.style = style;
        if (width < 64 || height < 64 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("avatar size must be even and >= 64, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        double s = Math.min(width, height) / DESIGN;
        design = new AffineTransform();
        design.translate((width - DESIGN * s) / 2, (height - DESIGN * s) / 2);
        design.scale(s, s);

        mouthRegion = regionOf(188, 294, 324, 378);
        eyesRegion = regionOf(180, 190, 332, 264);

        idleBase = Rgb2I420.convert(pixels(drawFace(true, MouthParams.CLOSED)), width, height);
        byte[] closedEyes = Rgb2I420.convert(pixels(drawFace(false, MouthParams.CLOSED)), width, height);
        eyesClosed = I420.crop(closedEyes, width, height, eyesRegion.x(), eyesRegion.y(), eyesRegion.width(), eyesRegion.height());

        BufferedImage noMouth = drawFace(true, null);
        mouthBackground = noMouth.getRGB(mouthRegion.x(), mouthRegion.y(), mouthRegion.width(), mouthRegion.height(),
                null, 0, mouthRegion.width());
        for (int i = 0; i < mouthBackground.length; i++) {
            mouthBackground[i] &= 0xFFFFFF;
        }
        mouthImage = new BufferedImage(mouthRegion.width(), mouthRegion.height(), BufferedImage.TYPE_INT_RGB);
        mouthPixels = ((DataBufferInt) mouthImage.getRaster().getDataBuffer()).getData();
        mouthGraphics = mouthImage.createGraphics();
        hints(mouthGraphics);
        mouthGraphics.translate(-mouthRegion.x(), -mouthRegion.y());
        mouthGraphics.transform(design);
    }

    @Override public String name() { return style.name(); }
    @Override public int width() { return width; }
    @Override public int height() { return height; }
    @Override public byte[] idleBase() { return idleBase.clone(); }
    @Override public Region eyesRegion() { return eyesRegion; }
    @Override public byte[] eyesClosedPatch() { return eyesClosed.clone(); }
    @Override public Region mouthRegion() { return mouthRegion; }

    @Override
    public synchronized byte[] mouthPatch(MouthParams params) {
        System.arraycopy(mouthBackground, 0, mouthPixels, 0, mouthPixels.length);
        drawMouth(mouthGraphics, params);
        return Rgb2I420.convert(mouthPixels, mouthRegion.width(), mouthRegion.height());
    }

    private Region regionOf(double x0, double y0, double x1, double y1) {
        double[] pts = {x0, y0, x1, y1};
        design.transform(pts, 0, pts, 0, 2);
        return Region.covering(pts[0], pts[1], pts[2], pts[3], width, height);
    }

    /** The whole frame as RGB (for exporting the face as an avatar pack). */
    public BufferedImage drawFrame(boolean eyesOpen, MouthParams mouth) {
        return drawFace(eyesOpen, mouth, 0);
    }

    /**
     * The whole frame with the shoulders raised {@code breath} design pixels (a breath; the head, eyes and mouth stay
     * exactly where they are, so patches cut from the unraised frame still fit).
     */
    public BufferedImage drawFrame(boolean eyesOpen, MouthParams mouth, double breath) {
        return drawFace(eyesOpen, mouth, breath);
    }

    private static int[] pixels(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    /** The whole frame; {@code mouth == null} leaves the mouth out (the background for mouth patches). */
    private BufferedImage drawFace(boolean eyesOpen, MouthParams mouth) {
        return drawFace(eyesOpen, mouth, 0);
    }

    private BufferedImage drawFace(boolean eyesOpen, MouthParams mouth, double breath) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            hints(g);
            g.setPaint(new GradientPaint(0, 0, style.backgroundTop(), 0, height, style.backgroundBottom()));
            g.fillRect(0, 0, width, height);
            g.transform(design);
            if (style.longHair()) { // behind the head, falling to the shoulders beside the neck
                g.setColor(style.hair());
                g.fill(new RoundRectangle2D.Double(112, 100, 288, 330, 150, 120));
            }
            // shoulders and neck
            g.setColor(style.shirt());
            g.fill(new Ellipse2D.Double(86 - breath, 420 - breath, 340 + 2 * breath, 220));
            g.setColor(style.skinShade());
            g.fill(new RoundRectangle2D.Double(218, 350, 76, 90, 30, 30));
            // ears
            g.setColor(style.skin());
            g.fill(new Ellipse2D.Double(116, 224, 44, 66));
            g.fill(new Ellipse2D.Double(352, 224, 44, 66));
            g.setColor(style.skinShade());
            g.fill(new Ellipse2D.Double(128, 238, 22, 38));
            g.fill(new Ellipse2D.Double(362, 238, 22, 38));
            // head
            g.setColor(style.skin());
            g.fill(new Ellipse2D.Double(136, 96, 240, 300));
            // hair: a cap over the top of the head
            Area hair = new Area(new Ellipse2D.Double(124, 74, 264, 170));
            hair.subtract(new Area(new Ellipse2D.Double(150, 138, 212, 210)));
            hair.add(new Area(new Ellipse2D.Double(178, 96, 120, 70)));
            hair.subtract(new Area(new Rectangle2D.Double(0, 200, DESIGN, DESIGN)));
            g.setColor(style.hair());
            g.fill(hair);
            // cheeks
            g.setColor(new Color(240, 130, 130, 70));
            g.fill(new Ellipse2D.Double(172, 286, 46, 26));
            g.fill(new Ellipse2D.Double(294, 286, 46, 26));
            drawEyes(g, eyesOpen, style);
            if (style.glasses() != null) {
                drawGlasses(g, style.glasses());
            }
            // nose
            g.setColor(style.skinShade());
            g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Double(250, 268, 238, 296, 256, 300));
            g.fill(new Ellipse2D.Double(246, 292, 20, 10));
            if (mouth != null) {
                drawMouth(g, mouth);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawEyes(Graphics2D g, boolean open, FaceStyle style) {
        g.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(style.hair());
        g.draw(new QuadCurve2D.Double(192, 206, 216, 192, 240, 204));
        g.draw(new QuadCurve2D.Double(272, 204, 296, 192, 320, 206));
        for (double cx : new double[] {218, 294}) {
            double cy = 236;
            if (open) {
                g.setColor(Color.WHITE);
                g.fill(new Ellipse2D.Double(cx - 22, cy - 15, 44, 30));
                g.setColor(style.iris());
                g.fill(new Ellipse2D.Double(cx - 11, cy - 11, 22, 22));
                g.setColor(Color.BLACK);
                g.fill(new Ellipse2D.Double(cx - 5.5, cy - 5.5, 11, 11));
                g.setColor(Color.WHITE);
                g.fill(new Ellipse2D.Double(cx + 1, cy - 7, 5, 5));
                g.setColor(INK);
                g.setStroke(new BasicStroke(2.5f));
                g.draw(new Ellipse2D.Double(cx - 22, cy - 15, 44, 30));
            } else {
                g.setColor(INK);
                g.setStroke(new BasicStroke(3.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new QuadCurve2D.Double(cx - 22, cy, cx, cy + 12, cx + 22, cy));
            }
        }
    }

    /** Round frames inside the eyes region, so the eyes-closed patch shows them too; the arms run to the ears. */
    private static void drawGlasses(Graphics2D g, Color frame) {
        g.setColor(frame);
        g.setStroke(new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Ellipse2D.Double(188, 208, 60, 52));
        g.draw(new Ellipse2D.Double(264, 208, 60, 52));
        g.draw(new QuadCurve2D.Double(248, 232, 256, 224, 264, 232));
        g.draw(new QuadCurve2D.Double(188, 228, 168, 224, 150, 236));
        g.draw(new QuadCurve2D.Double(324, 228, 344, 224, 362, 236));
    }

    /** The mouth in design coordinates; everything it draws stays inside the mouth region. */
    private void drawMouth(Graphics2D g, MouthParams p) {
        double k = style.mouthScale();
        double halfWidth = k * (22 + 26 * p.width() - 12 * p.roundness());
        double open = k * 44 * p.openness();
        Color lip = style.lip();
        float stroke = (float) style.lipStroke();
        double cx = MOUTH_CX, cy = MOUTH_CY;
        if (open < 2) {
            g.setColor(lip);
            g.setStroke(new BasicStroke(stroke + 0.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Double(cx - halfWidth, cy, cx, cy + 6 - 3 * p.roundness(), cx + halfWidth, cy));
            return;
        }
        double top = cy - open * 0.35;
        double bottom = cy + open * 0.65;
        Path2D.Double shape = new Path2D.Double();
        shape.moveTo(cx - halfWidth, cy);
        shape.quadTo(cx, 2 * top - cy, cx + halfWidth, cy);
        shape.quadTo(cx, 2 * bottom - cy, cx - halfWidth, cy);
        shape.closePath();
        g.setColor(MOUTH_INSIDE);
        g.fill(shape);
        Shape oldClip = g.getClip();
        g.clip(shape);
        if (p.openness() > 0.15) {
            g.setColor(TEETH);
            g.fill(new Rectangle2D.Double(cx - halfWidth, top - 4, 2 * halfWidth, Math.min(10, open * 0.3) + 4));
            g.setColor(TONGUE);
            g.fill(new Ellipse2D.Double(cx - halfWidth * 0.6, bottom - open * 0.35, halfWidth * 1.2, open * 0.6));
        }
        g.setClip(oldClip);
        g.setColor(lip);
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(shape);
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
    }
}
