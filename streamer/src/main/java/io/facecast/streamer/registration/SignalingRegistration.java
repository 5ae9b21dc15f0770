package io.facecast.streamer.registration;

import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.HeartbeatResponse;
import io.facecast.internal.v1.NodeState;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegisterStreamerResponse;
import io.facecast.internal.v1.RegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps this streamer registered with signaling: registers, then heartbeats with its state (SERVING / DRAINING) and
 * load; registers again only when signaling says it no longer knows this streamer (signaling restarted, another
 * replica answered, or it declared the streamer dead).
 *
 * <p>A registration carries the node id, the node's renderer address and the sessions this streamer still holds
 * ({@code live_sessions}). Re-registering does not close those sessions: their media never passed through signaling,
 * so they play on, and signaling adopts the ones it knows and closes the others (issue 9).
 */
public final class SignalingRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingRegistration.class);

    /** What the streamer tells signaling about itself at each heartbeat. */
    public interface Status {
        List<String> liveSessions();

        boolean draining();

        /** 0..1, see {@link LoadMeter}. */
        float load();
    }

    private final ManagedChannel channel;
    private final RegisterStreamerRequest registration;
    private final Status status;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "signaling-registration");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean registered;
    private volatile long intervalMs = 1000;

    /** @param registration the fixed part (id, addresses, node, max sessions); live sessions are added each time */
    public SignalingRegistration(ManagedChannel channel, RegisterStreamerRequest registration, Status status) {
        this.channel = channel;
        this.registration = registration;
        this.status = status;
    }

    public void start() {
        timer.execute(this::tickAndReschedule);
    }

    /** The next heartbeat goes out now (state changed: signaling should stop placing here at once). */
    public void heartbeatNow() {
        if (!timer.isShutdown()) {
            timer.execute(this::tick);
        }
    }

    private synchronized void tick() {
        try {
            var stub = RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS);
            if (!registered) {
                List<String> live = status.liveSessions();
                RegisterStreamerResponse r = stub.registerStreamer(registration.toBuilder()
                        .clearLiveSessions().addAllLiveSessions(live).build());
                intervalMs = Math.max(100, r.getHeartbeatIntervalMs());
                registered = true;
                log.info("registered with signaling as {} (node {}, renderer {}, {} live session(s); heartbeat every {} ms)",
                        registration.getStreamerId(), registration.getNodeId(),
                        registration.getRendererAddress().isEmpty() ? "signaling's default" : registration.getRendererAddress(),
                        live.size(), intervalMs);
                heartbeat(stub); // state and load at once: a draining streamer must not look SERVING until the next tick
            } else {
                heartbeat(stub);
            }
        } catch (StatusRuntimeException e) {
            // Keep the registration: a short network glitch must not cost anything. Signaling answers known=false
            // if it really forgot us.
            log.warn("signaling unreachable: {}", e.getStatus());
        }
    }

    private void heartbeat(RegistryGrpc.RegistryBlockingStub stub) {
        HeartbeatResponse r = stub.heartbeat(heartbeatRequest());
        if (!r.getKnown()) {
            registered = false;
            log.warn("signaling does not know this streamer any more; registering again with its {} live session(s)"
                    + " (they play on)", status.liveSessions().size());
        }
    }

    HeartbeatRequest heartbeatRequest() {
        return HeartbeatRequest.newBuilder()
                .setStreamerId(registration.getStreamerId())
                .setActiveSessions(status.liveSessions().size())
                .setState(status.draining() ? NodeState.NODE_STATE_DRAINING : NodeState.NODE_STATE_SERVING)
                .setLoad(status.load()).build();
    }

    private void scheduleNext() {
        if (!timer.isShutdown()) {
            try {
                timer.schedule(this::tickAndReschedule, registered ? intervalMs : 500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closing
            }
        }
    }

    private void tickAndReschedule() {
        try {
            tick();
        } finally {
            scheduleNext();
        }
    }

    public boolean registered() {
        return registered;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        channel.shutdownNow();
    }
}
