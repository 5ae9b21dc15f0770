package io.facecast.renderer;

import io.facecast.errors.ErrorCode;
import io.facecast.errors.FacecastException;
import io.grpc.Status;

/**
 * A failure the caller can act on, in the project's error vocabulary ({@link FacecastException}). Stages throw it;
 * only the shared adapter ({@code io.facecast.errors.Errors}) turns it into a gRPC status.
 */
public final class RendererException extends FacecastException {

    public RendererException(Status.Code code, String message) {
        super(ErrorCode.of(code), message);
    }

    /** The gRPC code this refusal is answered with. */
    public Status.Code code() {
        return errorCode().grpc();
    }

    public static RendererException notFound(String message) {
        return new RendererException(Status.Code.NOT_FOUND, message);
    }

    public static RendererException invalid(String message) {
        return new RendererException(Status.Code.INVALID_ARGUMENT, message);
    }
}
