package io.facecast.errors;

import java.time.Duration;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A refusal the caller can act on: a code from {@link ErrorCode} and a message written for a person (what was wrong
 * and what to do). Thrown by plain logic in every process; turned into a gRPC status by {@link Errors#toStatus} and
 * into an HTTP status by {@link ErrorCode#httpStatus()}, nowhere else.
 */
public class FacecastException extends RuntimeException {

    private final ErrorCode code;
    private final Duration retryAfter;

    public FacecastException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** @param retryAfter when the client may try again (gRPC RetryInfo, HTTP Retry-After); null: no hint */
    public FacecastException(ErrorCode code, String message, Duration retryAfter) {
        // No stack trace: a refusal is expected, and its message says everything.
        super(message, null, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The retry hint, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public ErrorCode errorCode() {
        return code;
    }

    public StatusRuntimeException toStatusException() {
        return new Errors.ClientError(code, getMessage(), retryAfter).toStatusException();
    }

    public static FacecastException invalid(String message) {
        return new FacecastException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static FacecastException notFound(String message) {
        return new FacecastException(ErrorCode.NOT_FOUND, message);
    }

    public static FacecastException failedPrecondition(String message) {
        return new FacecastException(ErrorCode.FAILED_PRECONDITION, message);
    }

    public static FacecastException exhausted(String message) {
        return new FacecastException(ErrorCode.RESOURCE_EXHAUSTED, message);
    }

    public static FacecastException unavailable(String message) {
        return new FacecastException(ErrorCode.UNAVAILABLE, message);
    }
}
