package io.facecast.streamer.registration;

import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.HeartbeatResponse;
import io.facecast.internal.v1.NodeState;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegisterStreamerResponse;
import io.facecast.internal.v1.RegistryGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps this streamer registered with signaling: registers, then heartbeats with its state (SERVING / DRAINING) and
 * load; registers again only when signaling says it no longer knows this streamer (signaling restarted, another
 * replica answered, or it declared the streamer dead), or when the replica it registered with is gone (below).
 *
 * <p>A registration carries the node id, the node's renderer address and the sessions this streamer still holds
 * ({@code live_sessions}). Re-registering does not close those sessions: their media never passed through signaling,
 * so they play on, and signaling adopts the ones it knows and closes the others (issue 9).
 *
 * <h2>Several replicas: the failover rule</h2>
 * {@code --signaling} may list several signaling replicas ({@link SignalingAddresses}). The streamer registers with
 * the first and stays with the replica it registered with, even after an earlier one in the list comes back, until
 * that replica is <em>gone</em>:
 * <ol>
 * <li>A heartbeat or registration that fails with UNAVAILABLE or DEADLINE_EXCEEDED is judged by the channel to that
 *     replica. Its connection refused (a {@link java.net.ConnectException} under the status) or failed
 *     (TRANSIENT_FAILURE): the replica is gone. A connection still being set
 *     up (CONNECTING: a cold TLS handshake on a loaded host can take over a second) is not judged: the streamer stays
 *     and the next tick tries again on the same channel; a host that never answers the connection ends in
 *     TRANSIENT_FAILURE after gRPC's connect timeout (20 s). Otherwise (connected, or idle after the connection
 *     closed) a health probe of the same replica follows (gRPC health of the Registry service,
 *     {@value #PROBE_DEADLINE_MILLIS} ms): SERVING means the replica is there and the error was its own (say its
 *     Redis is restarting), so the streamer stays and keeps its registration, as with one address; anything else (no
 *     answer on a live connection, a refused one, NOT_SERVING while it shuts down) means it is gone. Other failures
 *     (PERMISSION_DENIED, ...) never move the streamer.</li>
 * <li>Gone: the streamer takes the next address of the list (after the last, the first) and registers there at once,
 *     in the same tick, listing its live sessions. The new replica adopts them (they stay CONNECTED, slots kept) and
 *     opens the streamer's event stream, so the event relay moves with the registration; a replica that was only
 *     thought gone drops its own relay when it sees its registration superseded.</li>
 * <li>If that replica is gone too, the address after it is tried at the next tick ({@value #RETRY_MILLIS} ms later
 *     while unregistered): at most two replicas per tick, round the list, never a busy loop.</li>
 * </ol>
 * Timing against signaling's rule (a streamer is declared dead, and its sessions FAILED, after 3 heartbeat intervals
 * without a heartbeat: 3 s by default): every call waits at most {@value #CALL_DEADLINE_MILLIS} ms. A replica whose
 * process died answers with a refused connection, so the streamer is registered elsewhere within about one interval
 * of the death, and its sessions are adopted, not failed. A replica that went silent costs up to interval (until the
 * next tick) + the call's deadline + the probe, 3.5 s by default: just past the 3 s, so its sessions may be failed
 * first. A shorter deadline (one interval was tried) made a loaded host's slow but healthy calls look like a silent
 * replica and moved streamers between replicas at start-up in FleetNetnsTest; a false move costs every session's
 * relay, a late one only the sessions of a replica that is really gone. (Should a
 * streamer reach no replica for longer, signaling's orphan rule still applies: a streamer whose replica is gone and
 * which answers signaling's probe is kept until it registers again.)
 *
 * <p>With one address nothing changes: the streamer never gives up its registration over an unanswered call (a
 * network glitch must cost nothing; signaling answers known=false if it really forgot it). Why not gRPC's own
 * {@code pick_first} over the list? It moves a channel between addresses silently, while a new replica must be told
 * (RegisterStreamer, with the live sessions) before it relays anything, and it stays on a READY connection to a
 * replica that no longer answers; the explicit rule says when the registration moves and is tested as such.
 */
public final class SignalingRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingRegistration.class);
    /** A call's deadline (registration and heartbeats, one address or several). */
    static final long CALL_DEADLINE_MILLIS = 2000;
    /** How long the health probe of a replica whose call failed may take before the replica counts as gone. */
    static final long PROBE_DEADLINE_MILLIS = 500;
    /** The tick period while not registered. */
    static final long RETRY_MILLIS = 500;

    /** What the streamer tells signaling about itself at each heartbeat. */
    public interface Status {
        List<String> liveSessions();

        boolean draining();

        /** 0..1, see {@link LoadMeter}. */
        float load();
    }

    private final List<String> addresses;
    private final Function<String, ManagedChannel> channels;
    private final Map<String, ManagedChannel> open = new HashMap<>(); // guarded by this
    private final RegisterStreamerRequest registration;
    private final Status status;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "signaling-registration");
        t.setDaemon(true);
        return t;
    });
    private int current; // guarded by this
    private volatile boolean registered;
    private volatile long intervalMs = 1000;
    private volatile int failovers;
    private volatile boolean closed;

    /** One signaling address, over a channel the caller made. */
    public SignalingRegistration(ManagedChannel channel, RegisterStreamerRequest registration, Status status) {
        this(List.of(channel.authority()), address -> channel, registration, status);
        open.put(channel.authority(), channel); // closed with this registration even if never used
    }

    /**
     * @param addresses    the replicas, in the order they are tried ({@link SignalingAddresses#parse})
     * @param channels     opens a channel to one of them (mutual TLS in service; closed here)
     * @param registration the fixed part (id, addresses, node, max sessions); live sessions are added each time
     */
    public SignalingRegistration(List<String> addresses, Function<String, ManagedChannel> channels,
                                 RegisterStreamerRequest registration, Status status) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no signaling address");
        }
        this.addresses = List.copyOf(addresses);
        this.channels = channels;
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

    /** One registration or heartbeat, with the failover rule; the timer calls it, tests call it directly. */
    synchronized void tick() {
        if (closed) {
            return;
        }
        String address = addresses.get(current);
        try {
            call(address);
        } catch (StatusRuntimeException e) {
            if (!gone(address, e)) {
                // Keep the registration: a short network glitch must not cost anything. Signaling answers
                // known=false if it really forgot us.
                log.warn("signaling at {} did not answer: {}", address, e.getStatus());
                return;
            }
            String next = failOver(address, e);
            try {
                call(next);
            } catch (StatusRuntimeException again) {
                if (gone(next, again)) {
                    failOver(next, again);
                } else {
                    log.warn("signaling at {} did not answer: {}", next, again.getStatus());
                }
            }
        }
    }

    private void call(String address) {
        var stub = RegistryGrpc.newBlockingStub(channel(address))
                .withDeadlineAfter(callDeadlineMillis(), TimeUnit.MILLISECONDS);
        if (!registered) {
            List<String> live = status.liveSessions();
            RegisterStreamerResponse r = stub.registerStreamer(registration.toBuilder()
                    .clearLiveSessions().addAllLiveSessions(live).build());
            intervalMs = Math.max(100, r.getHeartbeatIntervalMs());
            registered = true;
            log.info("registered with signaling at {} as {} (node {}, renderer {}, {} live session(s); heartbeat every"
                            + " {} ms)", address, registration.getStreamerId(), registration.getNodeId(),
                    registration.getRendererAddress().isEmpty() ? "signaling's default" : registration.getRendererAddress(),
                    live.size(), intervalMs);
        }
        heartbeat(stub); // right after registering too: a draining streamer must not look SERVING until the next tick
    }

    /** Whether the replica at {@code address}, whose call just failed, is gone (see the class comment). */
    private boolean gone(String address, StatusRuntimeException failure) {
        io.grpc.Status.Code code = failure.getStatus().getCode();
        if (closed || addresses.size() < 2 || (code != io.grpc.Status.Code.UNAVAILABLE
                && code != io.grpc.Status.Code.DEADLINE_EXCEEDED)) {
            return false;
        }
        ManagedChannel channel = channel(address);
        ConnectivityState state = channel.getState(false);
        if (refused(failure) || state == ConnectivityState.TRANSIENT_FAILURE) {
            return true; // the connection was refused or failed: nobody listens there
        }
        if (state == ConnectivityState.CONNECTING) {
            return false; // still setting up (a cold TLS handshake on a loaded host takes over a second): not judged
        }
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(PROBE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(RegistryGrpc.SERVICE_NAME).build());
            return health.getStatus() != HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException probe) {
            return refused(probe) || channel.getState(false) != ConnectivityState.CONNECTING;
        }
    }

    /** The call failed because the connection was refused: nothing listens at that address. */
    private static boolean refused(StatusRuntimeException failure) {
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** Moves to the address after {@code from}, unregistered; returns it. */
    private String failOver(String from, StatusRuntimeException why) {
        current = (current + 1) % addresses.size();
        String to = addresses.get(current);
        registered = false;
        failovers++;
        ManagedChannel next = open.get(to);
        if (next != null) {
            next.resetConnectBackoff(); // tried before and refused: connect now, not after gRPC's backoff
        }
        log.warn("signaling at {} is gone ({}: {}); registering with {} instead, listing its {} live session(s)"
                        + " (they play on)", from, why.getStatus().getCode(), why.getStatus().getDescription(), to,
                status.liveSessions().size());
        return to;
    }

    private ManagedChannel channel(String address) {
        return open.computeIfAbsent(address, channels);
    }

    private long callDeadlineMillis() {
        return CALL_DEADLINE_MILLIS;
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

    /** How long the timer waits before the next tick. */
    long nextDelayMillis() {
        return registered ? intervalMs : RETRY_MILLIS;
    }

    private void scheduleNext() {
        if (!timer.isShutdown()) {
            try {
                timer.schedule(this::tickAndReschedule, nextDelayMillis(), TimeUnit.MILLISECONDS);
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

    /** The replica this streamer is registered with, or tries next. */
    public synchronized String address() {
        return addresses.get(current);
    }

    /** How many times it moved to another replica. */
    public int failovers() {
        return failovers;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow(); // interrupts a call in progress
        synchronized (this) {
            open.values().forEach(ManagedChannel::shutdownNow);
            open.clear();
        }
    }
}
