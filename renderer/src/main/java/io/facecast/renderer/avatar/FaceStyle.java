package io.facecast.renderer.avatar;

import java.awt.Color;

/**
 * The look of a {@link DefaultAvatar} face: colours and a few optional features. Geometry (and so the mouth and eyes
 * regions) is the same for every style, which keeps every style's patches at the same places.
 */
public record FaceStyle(String name, Color backgroundTop, Color backgroundBottom, Color skin, Color skinShade, Color hair,
                        boolean longHair, Color iris, Color lip, double lipStroke, double mouthScale, Color shirt,
                        Color glasses) {

    /** The friendly cartoon face of the renderer's first release. */
    public static final FaceStyle DEFAULT = new FaceStyle("default", new Color(0x9CC9F5), new Color(0xDCCBF3),
            new Color(0xF2C6A0), new Color(0xE0A982), new Color(0x5B3A29), false, new Color(0x3D6E9E),
            new Color(0xB5525C), 4.0, 1.0, new Color(0x2E8B8B), null);

    /** A visibly different face: darker skin, long black hair, round glasses, fuller lips, warm background. */
    public static final FaceStyle ADA = new FaceStyle("ada", new Color(0xF9DDA4), new Color(0xEFA07E),
            new Color(0x9A6442), new Color(0x7A4C31), new Color(0x1D1A1E), true, new Color(0x4A2E17),
            new Color(0x8E2C48), 6.0, 1.12, new Color(0x3B4F9A), new Color(0x2A2A2A));
}
