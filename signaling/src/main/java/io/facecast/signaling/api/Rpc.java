package io.facecast.signaling.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one unary call. A deliberate status goes to the client with its code and message only (never a cause or
 * trailers from a backend); anything unexpected is logged here and the client gets a plain INTERNAL.
 */
final class Rpc {

    private static final Logger log = LoggerFactory.getLogger(Rpc.class);
    static final String INTERNAL_MESSAGE = "internal error (see signaling log)";

    private Rpc() {}

    static <T> void unary(String method, StreamObserver<T> response, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            response.onError(toClient(method, e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    static StatusRuntimeException toClient(String method, RuntimeException e) {
        if (e instanceof io.facecast.signaling.auth.QuotaExceeded quota) {
            log.info("{} -> RESOURCE_EXHAUSTED: {}", method, quota.getStatus().getDescription());
            return quota.toClient(); // keeps its RetryInfo trailer
        }
        if (e instanceof StatusRuntimeException sre && sre.getStatus().getCode() != Status.Code.INTERNAL
                && sre.getStatus().getCode() != Status.Code.UNKNOWN) {
            Status status = sre.getStatus();
            log.info("{} -> {}: {}", method, status.getCode(), status.getDescription());
            return Status.fromCode(status.getCode()).withDescription(status.getDescription()).asRuntimeException();
        }
        if (e instanceof StatusRuntimeException sre && sre.getStatus().getDescription() != null) {
            // Our own INTERNAL (e.g. "renderer ... failed (see its log)") is already safe to show.
            log.warn("{} -> INTERNAL: {}", method, sre.getStatus().getDescription(), e);
            return Status.INTERNAL.withDescription(sre.getStatus().getDescription()).asRuntimeException();
        }
        log.error("{} failed unexpectedly", method, e);
        return Status.INTERNAL.withDescription(INTERNAL_MESSAGE).asRuntimeException();
    }
}
