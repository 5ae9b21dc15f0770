package io.facecast.signaling.http;

import io.facecast.errors.Errors;

/**
 * Turns what the session layer throws into an HTTP status and a message safe to show, with the same rules as the gRPC
 * service: the project's {@link Errors#classify} decides code and message, {@code ErrorCode.httpStatus()} the status.
 * {@link HttpProblem}s are the HTTP layer's own refusals (405, 413, 415...) and keep theirs.
 */
final class HttpStatuses {

    static final String INTERNAL_MESSAGE = Errors.internalMessage("signaling");

    /** @param retryAfter the Retry-After header's value, or null */
    record Answer(int status, String code, String message, String retryAfter) {}

    private HttpStatuses() {}

    static Answer of(String what, RuntimeException e) {
        if (e instanceof HttpProblem p) {
            org.slf4j.LoggerFactory.getLogger(HttpStatuses.class).info("{} -> {}: {}", what, p.status, p.getMessage());
            return new Answer(p.status, p.code, p.getMessage(), null);
        }
        Errors.ClientError error = Errors.classify(what, "signaling", e);
        return new Answer(error.code().httpStatus(), error.code().grpc().name(), error.message(),
                error.retryAfterHeader());
    }
}
