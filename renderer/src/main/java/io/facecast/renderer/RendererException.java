package io.facecast.renderer;

import io.grpc.Status;

/**
 * A failure the caller can act on, carrying the gRPC status code it maps to. Stages throw it; only the control layer
 * turns it into a gRPC status, so the mapping lives in one place.
 */
public final class RendererException extends RuntimeException {
    private final Status.Code code;

    public RendererException(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public static RendererException notFound(String message) {
        return new RendererException(Status.Code.NOT_FOUND, message);
    }

    public static RendererException invalid(String message) {
        return new RendererException(Status.Code.INVALID_ARGUMENT, message);
    }
}
