package io.facecast.signaling.auth;

import io.facecast.errors.Errors;
import io.facecast.errors.FacecastException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Authenticates every call of the public gRPC service from its {@code authorization: Bearer ...} metadata and
 * puts the caller into the call's {@link Context}; a call without a valid credential never reaches the service.
 * Installed on the public Facecast service only (never on health, reflection or internal services).
 */
public final class GrpcAuth implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Principal> CALLER = Context.key("facecast-caller");

    private final PublicAccess access;

    public GrpcAuth(PublicAccess access) {
        this.access = access;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Principal caller;
        try {
            caller = access.authenticate(headers.get(AUTHORIZATION));
        } catch (StatusRuntimeException | FacecastException refused) {
            // The project's one mapping (a rate limit keeps its RetryInfo); nothing of the cause reaches the client.
            StatusRuntimeException e = Errors.toStatus(call.getMethodDescriptor().getBareMethodName(), "signaling", refused);
            call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    /**
     * The caller of the current public call.
     *
     * @throws StatusRuntimeException UNAUTHENTICATED when the service runs without this interceptor (fails closed)
     */
    public static Principal caller() {
        Principal principal = CALLER.get();
        if (principal == null) {
            throw AccessErrors.unauthenticated("this server did not authenticate the call");
        }
        return principal;
    }
}
