package io.facecast.errors;

import io.grpc.Status;

/**
 * The project's error vocabulary: every refusal a client can see has one of these codes, and each code has exactly
 * one gRPC status and one HTTP status. Nothing else in the code base maps codes to statuses.
 */
public enum ErrorCode {
    /** The request itself is wrong (malformed SDP, over-long text, bad candidate...); retrying it will not help. */
    INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT, 400),
    /** No valid credentials. */
    UNAUTHENTICATED(Status.Code.UNAUTHENTICATED, 401),
    /** Valid credentials that do not grant this call. */
    PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, 403),
    NOT_FOUND(Status.Code.NOT_FOUND, 404),
    ALREADY_EXISTS(Status.Code.ALREADY_EXISTS, 409),
    /** The target is not in a state that allows the call (closed session, not negotiated yet...). */
    FAILED_PRECONDITION(Status.Code.FAILED_PRECONDITION, 409),
    /** A bound was hit (capacity, queue, buffer, quota); the client may retry later. */
    RESOURCE_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED, 503),
    /**
     * The caller's own quota or request rate was hit (not the fleet's capacity): gRPC RESOURCE_EXHAUSTED like
     * capacity, but HTTP 429, and always with a retry hint ({@link FacecastException#retryAfter()}).
     */
    RATE_LIMITED(Status.Code.RESOURCE_EXHAUSTED, 429),
    /** A peer process cannot be reached, or the client let a stream stall past its deadline. */
    UNAVAILABLE(Status.Code.UNAVAILABLE, 503),
    DEADLINE_EXCEEDED(Status.Code.DEADLINE_EXCEEDED, 504),
    UNIMPLEMENTED(Status.Code.UNIMPLEMENTED, 501),
    CANCELLED(Status.Code.CANCELLED, 499),
    /** A bug or an unexpected failure: the client sees only a generic message, the details go to the log. */
    INTERNAL(Status.Code.INTERNAL, 500);

    private final Status.Code grpc;
    private final int http;

    ErrorCode(Status.Code grpc, int http) {
        this.grpc = grpc;
        this.http = http;
    }

    public Status.Code grpc() {
        return grpc;
    }

    public int httpStatus() {
        return http;
    }

    /** The code for a gRPC status; codes without a project meaning (UNKNOWN, DATA_LOSS...) are INTERNAL. */
    public static ErrorCode of(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID_ARGUMENT;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> ALREADY_EXISTS;
            case FAILED_PRECONDITION, ABORTED -> FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> UNAVAILABLE;
            case DEADLINE_EXCEEDED -> DEADLINE_EXCEEDED;
            case UNIMPLEMENTED -> UNIMPLEMENTED;
            case CANCELLED -> CANCELLED;
            default -> INTERNAL;
        };
    }
}
