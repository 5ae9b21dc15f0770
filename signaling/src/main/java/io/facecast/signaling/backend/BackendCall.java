package io.facecast.signaling.backend;

import io.facecast.errors.Errors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * Runs one control call and turns its failure into a status fit for the client: a peer that cannot be reached becomes
 * UNAVAILABLE naming it, a peer's own refusal (NOT_FOUND, INVALID_ARGUMENT, ...) passes through with its message, and
 * a peer's internal failure stays vague so no foreign stack trace or detail reaches the client.
 */
final class BackendCall {

    private BackendCall() {}

    static <T> T run(String peer, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw translate(peer, e);
        }
    }

    static StatusRuntimeException translate(String peer, StatusRuntimeException e) {
        Status status = e.getStatus();
        return switch (status.getCode()) {
            case UNAVAILABLE -> Status.UNAVAILABLE.withDescription(peer + " is unreachable").withCause(e).asRuntimeException();
            case DEADLINE_EXCEEDED -> Status.UNAVAILABLE
                    .withDescription(peer + " did not answer in time").withCause(e).asRuntimeException();
            case UNKNOWN, INTERNAL, DATA_LOSS, UNIMPLEMENTED, CANCELLED -> Status.INTERNAL
                    .withDescription(Errors.peerFailed(peer, status.getCode()).getStatus().getDescription())
                    .withCause(e).asRuntimeException();
            default -> Status.fromCode(status.getCode())
                    .withDescription(status.getDescription() == null ? peer + " refused: " + status.getCode() : status.getDescription())
                    .withCause(e)
                    .asRuntimeException();
        };
    }
}
