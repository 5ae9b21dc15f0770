package io.facecast.signaling.http;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the session layer throws into an HTTP status and a message safe to show: the same rules as the gRPC
 * service (a deliberate status keeps its message; anything unexpected is logged and answered with a plain 500).
 */
final class HttpStatuses {

    private static final Logger log = LoggerFactory.getLogger(HttpStatuses.class);
    static final String INTERNAL_MESSAGE = "internal error (see signaling log)";

    record Answer(int status, String code, String message) {}

    private HttpStatuses() {}

    static Answer of(String what, RuntimeException e) {
        if (e instanceof HttpProblem p) {
            log.info("{} -> {}: {}", what, p.status, p.getMessage());
            return new Answer(p.status, p.code, p.getMessage());
        }
        if (e instanceof StatusRuntimeException sre) {
            Status status = sre.getStatus();
            String message = status.getDescription();
            int http = httpStatus(status.getCode());
            if (http == 500 && message == null) {
                log.error("{} failed", what, e);
                return new Answer(500, "INTERNAL", INTERNAL_MESSAGE);
            }
            if (status.getCode() == Status.Code.UNKNOWN) {
                log.error("{} failed", what, e);
                return new Answer(500, "INTERNAL", INTERNAL_MESSAGE);
            }
            log.info("{} -> {} {}: {}", what, http, status.getCode(), message);
            return new Answer(http, status.getCode().name(), message == null ? status.getCode().name() : message);
        }
        log.error("{} failed unexpectedly", what, e);
        return new Answer(500, "INTERNAL", INTERNAL_MESSAGE);
    }

    static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> 409;
            // No streamer has room or none is reachable: the client may retry later.
            case RESOURCE_EXHAUSTED, UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case UNIMPLEMENTED -> 501;
            default -> 500;
        };
    }
}
