package io.facecast.security;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal services' gate: every call must come from a fleet identity (UNAUTHENTICATED otherwise, which mutual
 * TLS already makes impossible on a TLS port) of a role the service admits (PERMISSION_DENIED otherwise). The
 * caller's identity is put in the call's {@link Context} for the service to check finer rules (a streamer registers
 * only as itself): {@link #caller()}.
 *
 * <p>Who may call what: signaling's {@code Registry} admits streamers; the renderer's {@code RendererControl} and the
 * streamer's {@code StreamerControl} (its event stream included) admit signaling.
 */
public final class FleetAuthorization implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(FleetAuthorization.class);
    private static final Context.Key<FleetIdentity> CALLER = Context.key("facecast-fleet-caller");

    private final PeerIdentitySource source;
    private final Set<FleetRole> admitted;

    public FleetAuthorization(PeerIdentitySource source, FleetRole first, FleetRole... more) {
        this.source = source;
        this.admitted = EnumSet.of(first, more);
    }

    /** {@code service} behind this gate. */
    public static ServerServiceDefinition admit(BindableService service, PeerIdentitySource source, FleetRole first,
                                                FleetRole... more) {
        return ServerInterceptors.intercept(service, new FleetAuthorization(source, first, more));
    }

    /** The identity of the caller of the current call, as the gate put it there. */
    public static Optional<FleetIdentity> callerIfAny() {
        return Optional.ofNullable(CALLER.get());
    }

    /** @throws StatusRuntimeException UNAUTHENTICATED when the current call has passed no gate */
    public static FleetIdentity caller() {
        return callerIfAny().orElseThrow(() -> Status.UNAUTHENTICATED
                .withDescription("this service needs a fleet certificate (mutual TLS)").asRuntimeException());
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<FleetIdentity> identity = source.identify(call, headers);
        if (identity.isEmpty()) {
            log.warn("refused {}: caller presented no fleet certificate", method);
            return refuse(call, Status.UNAUTHENTICATED.withDescription(
                    "the internal control plane needs a fleet certificate (mutual TLS)"));
        }
        FleetIdentity caller = identity.get();
        if (!admitted.contains(caller.role())) {
            log.warn("refused {} to {}: admits only {}", method, caller, admitted);
            return refuse(call, Status.PERMISSION_DENIED.withDescription(caller + " may not call "
                    + call.getMethodDescriptor().getServiceName() + "; it admits "
                    + admitted.stream().map(FleetRole::label).collect(Collectors.joining(", ")) + " only"));
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }

    @Override
    public String toString() {
        return "FleetAuthorization" + Arrays.toString(admitted.toArray());
    }
}
