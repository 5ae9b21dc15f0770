package io.facecast.signaling.placement;

import io.facecast.security.FleetIdentity;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The live streamers and how many sessions each holds. Time enters only through the injected nanoTime supplier, so
 * expiry is tested by moving a fake clock.
 */
public final class StreamerRegistry {

    private final Map<String, StreamerRegistration> streamers = new HashMap<>();
    private final PlacementPolicy policy;
    private final LongSupplier nanoTime;
    private final long timeoutNanos;

    public StreamerRegistry(PlacementPolicy policy, LongSupplier nanoTime, Duration timeout) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.timeoutNanos = timeout.toNanos();
    }

    public long now() {
        return nanoTime.getAsLong();
    }

    /**
     * Adds the registration and returns the one it replaces (same streamer id), if any. A live registration is
     * replaced only by its own certificate (the streamer restarted); another certificate for the same id waits until
     * the live one expires.
     *
     * @throws io.grpc.StatusRuntimeException PERMISSION_DENIED when the live registration belongs to another certificate
     */
    public synchronized Optional<StreamerRegistration> register(StreamerRegistration registration) {
        StreamerRegistration live = streamers.get(registration.streamerId());
        if (live != null && !sameOwner(live, registration.owner())) {
            throw Status.PERMISSION_DENIED.withDescription("streamer " + registration.streamerId()
                    + " is registered and alive under another certificate; a replacement is accepted once it stops "
                    + "sending heartbeats").asRuntimeException();
        }
        return Optional.ofNullable(streamers.put(registration.streamerId(), registration));
    }

    /** Records a heartbeat; false when the streamer is unknown (never registered, or already declared dead). */
    public synchronized boolean heartbeat(String streamerId, int activeSessions) {
        return heartbeat(streamerId, null, activeSessions);
    }

    /**
     * Records a heartbeat from {@code owner}; false when this streamer is unknown under that certificate (never
     * registered, declared dead, or registered by another certificate): heartbeats keep alive only the registration
     * their own certificate made.
     */
    public synchronized boolean heartbeat(String streamerId, FleetIdentity owner, int activeSessions) {
        StreamerRegistration registration = streamers.get(streamerId);
        if (registration == null || !sameOwner(registration, owner)) {
            return false;
        }
        registration.heartbeat(nanoTime.getAsLong(), activeSessions);
        return true;
    }

    private static boolean sameOwner(StreamerRegistration registration, FleetIdentity owner) {
        return Objects.equals(registration.owner(), owner);
    }

    /** Removes and returns every streamer whose last heartbeat is older than the timeout. */
    public synchronized List<StreamerRegistration> expire() {
        long now = nanoTime.getAsLong();
        List<StreamerRegistration> dead = new ArrayList<>();
        streamers.values().removeIf(registration -> {
            boolean expired = now - registration.lastHeartbeatNanos() > timeoutNanos;
            if (expired) {
                dead.add(registration);
            }
            return expired;
        });
        return dead;
    }

    /** True while this exact registration is the live one for its streamer. */
    public synchronized boolean isCurrent(StreamerRegistration registration) {
        return streamers.get(registration.streamerId()) == registration;
    }

    public synchronized Optional<StreamerRegistration> find(String streamerId) {
        return Optional.ofNullable(streamers.get(streamerId));
    }

    public synchronized Collection<StreamerRegistration> all() {
        return List.copyOf(streamers.values());
    }

    /**
     * Chooses a streamer and takes one of its slots in the same step, so two concurrent creates cannot both take the
     * last slot.
     *
     * @throws io.grpc.StatusRuntimeException UNAVAILABLE when no streamer is registered, RESOURCE_EXHAUSTED when all are full
     */
    public synchronized StreamerRegistration reserve() {
        return reserve(Set.of());
    }

    /** As {@link #reserve()}, skipping streamers that just failed to answer (they count as absent). */
    public synchronized StreamerRegistration reserve(Set<String> excluded) {
        if (streamers.isEmpty()) {
            throw Status.UNAVAILABLE.withDescription("no streamer is registered").asRuntimeException();
        }
        List<StreamerLoad> loads = new ArrayList<>();
        for (StreamerRegistration registration : streamers.values()) {
            if (excluded.contains(registration.streamerId())) {
                continue;
            }
            loads.add(new StreamerLoad(registration.streamerId(), registration.sessions(), registration.maxSessions()));
        }
        if (loads.isEmpty()) {
            throw Status.UNAVAILABLE.withDescription("no registered streamer is reachable").asRuntimeException();
        }
        Optional<String> chosen = policy.choose(loads);
        if (chosen.isEmpty()) {
            int total = loads.stream().mapToInt(StreamerLoad::sessions).sum();
            throw Status.RESOURCE_EXHAUSTED
                    .withDescription("all " + loads.size() + " streamers are full (" + total + " sessions)"
                            + (excluded.isEmpty() ? "" : "; not answering: " + String.join(", ", new java.util.TreeSet<>(excluded))))
                    .asRuntimeException();
        }
        StreamerRegistration registration = streamers.get(chosen.get());
        registration.addSession();
        return registration;
    }

    /** Gives back a slot taken by {@link #reserve()}. Harmless on a registration that has since been replaced. */
    public synchronized void release(StreamerRegistration registration) {
        registration.removeSession();
    }

    public synchronized int sessionsOn(StreamerRegistration registration) {
        return registration.sessions();
    }

    /** Seconds since the stalest registered streamer's last heartbeat; 0 with none registered. */
    public synchronized double oldestHeartbeatAgeSeconds() {
        long now = nanoTime.getAsLong();
        long oldest = 0;
        for (StreamerRegistration registration : streamers.values()) {
            oldest = Math.max(oldest, now - registration.lastHeartbeatNanos());
        }
        return oldest / 1e9;
    }

    public synchronized int registeredCount() {
        return streamers.size();
    }
}
