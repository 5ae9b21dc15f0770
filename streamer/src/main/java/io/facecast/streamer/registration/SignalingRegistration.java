package io.facecast.streamer.registration;

import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.HeartbeatResponse;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegisterStreamerResponse;
import io.facecast.internal.v1.RegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Keeps this streamer registered with signaling: registers, then heartbeats with its load; registers again only when
 * signaling says it no longer knows this streamer (signaling restarted or declared it dead).
 */
public final class SignalingRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingRegistration.class);

    private final ManagedChannel channel;
    private final RegisterStreamerRequest registration;
    private final IntSupplier activeSessions;
    private final Runnable onForgotten;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "signaling-registration");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean registered;
    private volatile long intervalMs = 1000;

    /**
     * @param onForgotten runs when signaling no longer knows this streamer: signaling has closed its sessions, so
     *                    the streamer frees them too before registering again
     */
    public SignalingRegistration(ManagedChannel channel, RegisterStreamerRequest registration,
                                 IntSupplier activeSessions, Runnable onForgotten) {
        this.channel = channel;
        this.registration = registration;
        this.activeSessions = activeSessions;
        this.onForgotten = onForgotten;
    }

    public void start() {
        timer.execute(this::tick);
    }

    private void tick() {
        try {
            var stub = RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS);
            if (!registered) {
                RegisterStreamerResponse r = stub.registerStreamer(registration);
                intervalMs = Math.max(100, r.getHeartbeatIntervalMs());
                registered = true;
                log.info("registered with signaling as {} (heartbeat every {} ms)", registration.getStreamerId(), intervalMs);
            } else {
                HeartbeatResponse r = stub.heartbeat(HeartbeatRequest.newBuilder()
                        .setStreamerId(registration.getStreamerId())
                        .setActiveSessions(activeSessions.getAsInt()).build());
                if (!r.getKnown()) {
                    log.warn("signaling does not know this streamer any more; closing its sessions and registering again");
                    registered = false;
                    onForgotten.run();
                }
            }
        } catch (StatusRuntimeException e) {
            // Keep the registration: signaling closes a re-registered streamer's sessions, and a short network
            // glitch must not cost them. Signaling answers known=false if it really forgot us.
            log.warn("signaling unreachable: {}", e.getStatus());
        } finally {
            if (!timer.isShutdown()) {
                timer.schedule(this::tick, registered ? intervalMs : 500, TimeUnit.MILLISECONDS);
            }
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
