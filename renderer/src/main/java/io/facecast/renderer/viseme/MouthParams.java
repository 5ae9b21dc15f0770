package io.facecast.renderer.viseme;

/**
 * Continuous mouth pose, each in [0, 1]: openness (jaw/lip gap), width (corners apart), roundness (lips pursed).
 */
public record MouthParams(double openness, double width, double roundness) {
    public static final MouthParams CLOSED = new MouthParams(0, 0.5, 0);

    public MouthParams {
        openness = clamp(openness);
        width = clamp(width);
        roundness = clamp(roundness);
    }

    public MouthParams lerp(MouthParams to, double t) {
        return new MouthParams(openness + (to.openness - openness) * t,
                width + (to.width - width) * t,
                roundness + (to.roundness - roundness) * t);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
