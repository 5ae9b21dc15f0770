package io.facecast.signaling.session;

import io.facecast.api.v1.VideoOptions;
import io.facecast.internal.v1.MediaSpec;
import io.grpc.Status;
import java.util.Set;

/** Turns the client's VideoOptions into the media spec every stage uses, or INVALID_ARGUMENT naming the bad field. */
public final class VideoOptionsCheck {

    public static final int DEFAULT_SIZE = 512;
    public static final int DEFAULT_FPS = 30;
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 1920;
    public static final Set<Integer> FRAME_RATES = Set.of(24, 25, 30);

    private VideoOptionsCheck() {}

    public static MediaSpec toMediaSpec(VideoOptions video) {
        int width = dimension("video.width", video.getWidth());
        int height = dimension("video.height", video.getHeight());
        int fps = video.getFps() == 0 ? DEFAULT_FPS : video.getFps();
        if (!FRAME_RATES.contains(fps)) {
            throw invalid("video.fps " + Integer.toUnsignedString(video.getFps()) + " is not supported; use 24, 25 or 30");
        }
        return MediaSpec.newBuilder().setWidth(width).setHeight(height).setFps(fps).build();
    }

    private static int dimension(String field, int value) {
        if (value == 0) {
            return DEFAULT_SIZE;
        }
        if (value < MIN_SIZE || value > MAX_SIZE) {
            throw invalid(field + " " + Integer.toUnsignedString(value) + " is out of range; use " + MIN_SIZE + ".." + MAX_SIZE
                    + " (or 0 for " + DEFAULT_SIZE + ")");
        }
        if (value % 2 != 0) {
            throw invalid(field + " " + value + " is odd; the video encoder needs an even size");
        }
        return value;
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
