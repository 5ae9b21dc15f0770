package io.facecast.signaling.auth;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/**
 * A per-key limit was hit. gRPC: RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} detail; HTTP: 429 with
 * Retry-After (whole seconds, at least 1).
 */
public final class QuotaExceeded extends StatusRuntimeException {

    private final Duration retryAfter;

    public QuotaExceeded(String message, Duration retryAfter) {
        super(Status.RESOURCE_EXHAUSTED.withDescription(message), StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                        .setMessage(message)
                        .addDetails(Any.pack(RetryInfo.newBuilder()
                                .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(retryAfter.getSeconds())
                                        .setNanos(retryAfter.getNano()))
                                .build()))
                        .build()).getTrailers());
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Retry-After in whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The same status with its trailers, fresh, for a server call to close with. */
    public StatusRuntimeException toClient() {
        return new StatusRuntimeException(getStatus(), getTrailers());
    }
}
