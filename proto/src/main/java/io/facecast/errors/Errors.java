package io.facecast.errors;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes what a client sees. A {@link FacecastException} or a deliberate gRPC status keeps
 * its code and message (never a cause, trailers or a peer's stack trace); anything else — a bug, an
 * {@link Error} from native code — is logged here in full and answered INTERNAL with a generic message.
 */
public final class Errors {

    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    /** What a client reads for an unexpected failure; the details are in the named process's log. */
    public static String internalMessage(String process) {
        return "internal error (see " + process + " log)";
    }

    /**
     * An INTERNAL status saying which fleet process failed, without anything it said: what signaling answers when a
     * renderer or streamer call ends in INTERNAL/UNKNOWN.
     */
    public static StatusRuntimeException peerFailed(String peer, Status.Code peerCode) {
        return Status.INTERNAL.withDescription(peer + " failed (" + peerCode + "; see its log)").asRuntimeException();
    }

    private static boolean isGeneric(String description) {
        return description != null && (description.startsWith("internal error (see ") || description.endsWith("; see its log)"));
    }

    /**
     * A failure as the client should see it: code, a message that is safe to show, and a retry hint (null: none),
     * which gRPC carries as a {@code google.rpc.RetryInfo} detail and HTTP as {@code Retry-After}.
     */
    public record ClientError(ErrorCode code, String message, Duration retryAfter) {
        public ClientError(ErrorCode code, String message) {
            this(code, message, null);
        }

        public StatusRuntimeException toStatusException() {
            if (retryAfter == null) {
                return Status.fromCode(code.grpc()).withDescription(message).asRuntimeException();
            }
            return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(code.grpc().value())
                    .setMessage(message)
                    .addDetails(Any.pack(RetryInfo.newBuilder()
                            .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(retryAfter.getSeconds())
                                    .setNanos(retryAfter.getNano()))
                            .build()))
                    .build());
        }

        /** Retry-After for HTTP: whole seconds, rounded up, at least 1; null without a hint. */
        public String retryAfterHeader() {
            return retryAfter == null ? null : Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
    }

    private Errors() {}

    /**
     * @param what    the call, for the log ("Speak", "POST /whep")
     * @param process who answers, for the generic message ("signaling")
     */
    public static ClientError classify(String what, String process, Throwable failure) {
        if (failure instanceof FacecastException e) {
            log.info("{} -> {}: {}", what, e.errorCode(), e.getMessage());
            return new ClientError(e.errorCode(), e.getMessage(), e.retryAfter());
        }
        if (failure instanceof StatusRuntimeException sre) {
            Status status = sre.getStatus();
            ErrorCode code = ErrorCode.of(status.getCode());
            if (code != ErrorCode.INTERNAL && code != ErrorCode.CANCELLED) {
                String message = status.getDescription() == null ? code.name() : status.getDescription();
                log.info("{} -> {}: {}", what, code, message);
                return new ClientError(code, message);
            }
            if (status.getCode() == Status.Code.INTERNAL && isGeneric(status.getDescription())) {
                // One of our own generic INTERNAL texts (this class wrote it): safe, and it names the log to read.
                log.warn("{} -> INTERNAL: {}", what, status.getDescription());
                return new ClientError(ErrorCode.INTERNAL, status.getDescription());
            }
        }
        log.error("{} failed unexpectedly", what, failure);
        return new ClientError(ErrorCode.INTERNAL, internalMessage(process));
    }

    public static StatusRuntimeException toStatus(String what, String process, Throwable failure) {
        return classify(what, process, failure).toStatusException();
    }

    /**
     * Answers one unary call: the body's result, or its failure as {@link #classify} says. Catches {@link Error}s too
     * (webrtc-java reports a bad native argument as {@code java.lang.Error}), so none escapes onto a gRPC thread.
     */
    public static <T> void unary(String what, String process, StreamObserver<T> out, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            out.onError(toStatus(what, process, e));
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
