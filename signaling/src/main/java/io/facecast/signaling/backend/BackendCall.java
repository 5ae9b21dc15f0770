package io.facecast.signaling.backend;

import io.facecast.errors.Errors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one control call and turns its failure into a status fit for the client: a peer that cannot be reached becomes
 * UNAVAILABLE naming it, a peer's own refusal (NOT_FOUND, INVALID_ARGUMENT, ...) passes through with its message, and
 * a peer's internal failure stays vague so no foreign stack trace or detail reaches the client. Why a peer could not
 * be reached (its address, connection refused, a TLS handshake that failed) goes to the log only: told to a client it
 * would make signaling a probe of the internal network.
 */
final class BackendCall {

    private static final Logger log = LoggerFactory.getLogger(BackendCall.class);

    private BackendCall() {}

    /**
     * @param peer    the peer as clients may see it ("streamer s1", "renderer")
     * @param address where it is, for the log only
     */
    static <T> T run(String peer, String address, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw translate(peer, address, e);
        }
    }

    static StatusRuntimeException translate(String peer, String address, StatusRuntimeException e) {
        Status status = e.getStatus();
        return switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED -> {
                log.warn("{} at {} unavailable: {}", peer, address, status);
                yield Status.UNAVAILABLE.withDescription(peer + " unavailable").withCause(e).asRuntimeException();
            }
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
