package io.facecast.signaling.auth;

import io.facecast.errors.ErrorCode;
import io.facecast.errors.FacecastException;
import java.time.Duration;

/**
 * A per-key limit was hit: {@link ErrorCode#RATE_LIMITED}, so gRPC RESOURCE_EXHAUSTED with a
 * {@code google.rpc.RetryInfo} detail and HTTP 429 with Retry-After.
 */
public final class QuotaExceeded extends FacecastException {

    public QuotaExceeded(String message, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, message, retryAfter);
    }
}
