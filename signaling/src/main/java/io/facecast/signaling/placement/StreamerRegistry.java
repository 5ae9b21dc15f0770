package io.facecast.signaling.placement;

import io.facecast.security.FleetIdentity;
import io.facecast.signaling.backend.StreamerBackend;
import io.facecast.signaling.backend.StreamerBackendFactory;
import io.facecast.signaling.fleet.FleetState;
import io.facecast.signaling.fleet.MemoryFleetState;
import io.facecast.signaling.fleet.StreamerRecord;
import io.facecast.signaling.fleet.StreamerState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The streamers of the fleet and the slots taken on them. The truth lives in the {@link FleetState} (shared by every
 * signaling replica with Redis); this class adds what only this replica has: the registrations made here (their
 * certificate owner, their channel and event pump) and views of the streamers registered elsewhere (a channel each,
 * opened when first needed). Time enters only through the fleet state's clock and the injected nanoTime supplier,
 * so expiry is tested by moving a fake clock.
 */
public final class StreamerRegistry {

    private final Map<String, StreamerRegistration> local = new HashMap<>();
    private final Map<String, StreamerRegistration> views = new HashMap<>();
    private final FleetState fleet;
    private final PlacementPolicy policy;
    private final LongSupplier nanoTime;
    private final long timeoutMillis;
    private final double threshold;
    private volatile StreamerBackendFactory viewBackends = (id, address) -> {
        throw Status.UNAVAILABLE.withDescription("streamer " + id + " is registered with another replica").asRuntimeException();
    };
    private volatile Predicate<StreamerRecord> answers = record -> false;

    /** One replica, in memory, no load threshold: for unit tests. */
    public StreamerRegistry(PlacementPolicy policy, LongSupplier nanoTime, Duration timeout) {
        this(new MemoryFleetState(() -> nanoTime.getAsLong() / 1_000_000), policy, nanoTime, timeout, 1.0);
    }

    /**
     * @param timeout   a streamer whose last heartbeat is older is not placed on and is declared dead
     * @param threshold a streamer reporting a higher load takes no new sessions
     */
    public StreamerRegistry(FleetState fleet, PlacementPolicy policy, LongSupplier nanoTime, Duration timeout,
                            double threshold) {
        this.fleet = fleet;
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.timeoutMillis = timeout.toMillis();
        this.threshold = threshold;
    }

    /**
     * How this replica reaches streamers registered with another one, and how it asks whether such a streamer still
     * answers when the replica it registered with is gone (then it is not declared dead: it will register again).
     */
    public void connectViewsWith(StreamerBackendFactory backends, Predicate<StreamerRecord> stillAnswers) {
        this.viewBackends = backends;
        this.answers = stillAnswers;
    }

    public FleetState fleet() {
        return fleet;
    }

    public long now() {
        return nanoTime.getAsLong();
    }

    /**
     * Adds the registration and returns the one it replaces (same streamer id), if this replica had any. A live
     * registration is replaced only by its own certificate (the streamer restarted); another certificate for the
     * same id waits until the live one expires.
     *
     * @throws StatusRuntimeException PERMISSION_DENIED when the live registration belongs to another certificate
     */
    public synchronized Optional<StreamerRegistration> register(StreamerRegistration registration) {
        StreamerRegistration live = local.get(registration.streamerId());
        if (live != null && !sameOwner(live, registration.owner())) {
            throw Status.PERMISSION_DENIED.withDescription("streamer " + registration.streamerId()
                    + " is registered and alive under another certificate; a replacement is accepted once it stops "
                    + "sending heartbeats").asRuntimeException();
        }
        fleet.putStreamer(registration.toRecord(fleet.nowMillis(), fleet.replicaId()));
        StreamerRegistration replaced = local.put(registration.streamerId(), registration);
        StreamerRegistration view = views.remove(registration.streamerId());
        if (replaced == null) {
            replaced = view;
        } else if (view != null) {
            view.backend().shutdown();
        }
        return Optional.ofNullable(replaced);
    }

    /** Records a heartbeat; false when the streamer is unknown (never registered, or already declared dead). */
    public synchronized boolean heartbeat(String streamerId, int activeSessions) {
        return heartbeat(streamerId, null, activeSessions, StreamerState.SERVING, 0);
    }

    public synchronized boolean heartbeat(String streamerId, FleetIdentity owner, int activeSessions) {
        return heartbeat(streamerId, owner, activeSessions, StreamerState.SERVING, 0);
    }

    /**
     * Records a heartbeat from {@code owner}; false when this streamer is unknown under that certificate (never
     * registered, declared dead, registered by another certificate or with another replica since): heartbeats keep
     * alive only the registration their own certificate made. A record the fleet state lost (Redis restarted empty)
     * is written back.
     */
    public synchronized boolean heartbeat(String streamerId, FleetIdentity owner, int activeSessions,
                                          StreamerState state, double load) {
        StreamerRegistration registration = local.get(streamerId);
        if (registration == null || !sameOwner(registration, owner)) {
            return false;
        }
        registration.heartbeat(nanoTime.getAsLong(), activeSessions, state, load);
        long now = fleet.nowMillis();
        if (fleet.heartbeat(streamerId, registration.registrationId(), now, state, load)) {
            return true;
        }
        if (fleet.streamer(streamerId).isEmpty()) {
            fleet.putStreamer(registration.toRecord(now, fleet.replicaId()));
            return true;
        }
        return false; // registered again since, here or with another replica
    }

    private static boolean sameOwner(StreamerRegistration registration, FleetIdentity owner) {
        return Objects.equals(registration.owner(), owner);
    }

    /**
     * Removes and returns every streamer whose last heartbeat is older than the timeout, fleet-wide; each dead
     * streamer is returned by exactly one replica (the one whose removal won), which then fails its sessions. A
     * streamer whose replica is gone but which still answers is not dead: it is orphaned and will register again.
     */
    public synchronized List<StreamerRegistration> expire() {
        long now = fleet.nowMillis();
        List<StreamerRegistration> dead = new ArrayList<>();
        for (StreamerRecord record : fleet.streamers()) {
            if (!record.lapsed(now, timeoutMillis)) {
                continue;
            }
            if (fleet.shared() && !record.replicaId().equals(fleet.replicaId())
                    && !fleet.isReplicaAlive(record.replicaId()) && answers.test(record)) {
                fleet.heartbeat(record.streamerId(), record.registrationId(), now, record.state(), record.load());
                continue;
            }
            if (fleet.removeStreamerIf(record.streamerId(), record.heartbeatAtMillis())) {
                StreamerRegistration registration = local.remove(record.streamerId());
                StreamerRegistration view = views.remove(record.streamerId());
                dead.add(registration != null ? registration : view != null ? view
                        : StreamerRegistration.view(record, null, nanoTime.getAsLong()));
            }
        }
        return dead;
    }

    /**
     * Forgets the registrations made here that are no longer the fleet's (declared dead by another replica, or the
     * streamer registered with another replica since) and returns them, so their event pumps and channels stop.
     */
    public synchronized List<StreamerRegistration> dropSuperseded() {
        List<StreamerRegistration> gone = new ArrayList<>();
        local.values().removeIf(registration -> {
            Optional<StreamerRecord> record = fleet.streamer(registration.streamerId());
            boolean superseded = record.isEmpty() || !record.get().registrationId().equals(registration.registrationId());
            if (superseded) {
                gone.add(registration);
            }
            return superseded;
        });
        views.values().removeIf(view -> {
            Optional<StreamerRecord> record = fleet.streamer(view.streamerId());
            boolean stale = record.isEmpty() || !record.get().registrationId().equals(view.registrationId());
            if (stale && view.backend() != null) {
                view.backend().shutdown();
            }
            return stale;
        });
        return gone;
    }

    /** Closes the channels to streamers registered elsewhere (shutdown). */
    public synchronized void shutdownViews() {
        for (StreamerRegistration view : views.values()) {
            if (view.backend() != null) {
                view.backend().shutdown();
            }
        }
        views.clear();
    }

    /** The streamers registered with this replica (written back to the fleet state after it lost its data). */
    public synchronized List<StreamerRegistration> registeredHere() {
        return List.copyOf(local.values());
    }

    /** Writes back the records of the streamers registered here (the fleet state lost its data). */
    public synchronized void rewriteRecords() {
        long now = fleet.nowMillis();
        for (StreamerRegistration registration : local.values()) {
            fleet.putStreamer(registration.toRecord(now, fleet.replicaId()));
        }
    }

    /** True while this exact registration is the fleet's live one for its streamer. */
    public boolean isCurrent(StreamerRegistration registration) {
        return fleet.streamer(registration.streamerId())
                .map(record -> record.registrationId().equals(registration.registrationId()))
                .orElse(false);
    }

    /** The streamer's current registration: the one made here, or a view of one made with another replica. */
    public synchronized Optional<StreamerRegistration> find(String streamerId) {
        StreamerRegistration registration = local.get(streamerId);
        if (registration != null) {
            return Optional.of(registration);
        }
        Optional<StreamerRecord> record = fleet.streamer(streamerId);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        StreamerRegistration view = views.get(streamerId);
        if (view != null && view.registrationId().equals(record.get().registrationId())) {
            return Optional.of(view);
        }
        if (view != null) {
            view.backend().shutdown();
        }
        StreamerBackend backend = viewBackends.connect(streamerId, record.get().controlAddress());
        view = StreamerRegistration.view(record.get(), backend, nanoTime.getAsLong());
        views.put(streamerId, view);
        return Optional.of(view);
    }

    public synchronized Collection<StreamerRegistration> all() {
        return List.copyOf(local.values());
    }

    public synchronized StreamerRegistration reserve() {
        return reserve(UUID.randomUUID().toString(), Set.of());
    }

    /** As {@link #reserve(String, Set)} for a new session id and no exclusions (tests). */
    public synchronized StreamerRegistration reserve(Set<String> excluded) {
        return reserve(UUID.randomUUID().toString(), excluded);
    }

    /**
     * Chooses a streamer (the placement policy over the fleet's fresh SERVING streamers under the load threshold)
     * and takes one of its slots for the session atomically in the fleet state, so two concurrent creates (on any
     * replicas) cannot both take the last slot; a streamer that refuses the reservation is skipped for the next one.
     *
     * @param excluded streamers that just failed to answer (they count as absent)
     * @throws StatusRuntimeException UNAVAILABLE when no streamer is registered or none is taking sessions,
     *                                RESOURCE_EXHAUSTED when all are full
     */
    public StreamerRegistration reserve(String sessionId, Set<String> excluded) {
        long now = fleet.nowMillis();
        List<StreamerRecord> records = fleet.streamers().stream().filter(r -> !r.lapsed(now, timeoutMillis)).toList();
        if (records.isEmpty()) {
            throw Status.UNAVAILABLE.withDescription("no streamer is registered").asRuntimeException();
        }
        Map<String, StreamerRecord> byId = new HashMap<>();
        List<StreamerLoad> loads = new ArrayList<>();
        int draining = 0;
        int overThreshold = 0;
        for (StreamerRecord record : records) {
            if (excluded.contains(record.streamerId())) {
                continue;
            }
            if (record.state() != StreamerState.SERVING) {
                draining++;
                continue;
            }
            if (record.load() > threshold) {
                overThreshold++;
                continue;
            }
            int held = fleet.slotsUsed(record.streamerId());
            byId.put(record.streamerId(), record);
            loads.add(new StreamerLoad(record.streamerId(), held, record.maxSessions(), record.placementLoad(held)));
        }
        if (loads.isEmpty() && draining + overThreshold == 0) {
            throw Status.UNAVAILABLE.withDescription("no registered streamer is reachable").asRuntimeException();
        }
        Set<String> refused = new HashSet<>();
        while (true) {
            List<StreamerLoad> open = loads.stream().filter(l -> !refused.contains(l.streamerId())).toList();
            Optional<String> chosen = policy.choose(open);
            if (chosen.isEmpty()) {
                throw full(loads, draining, overThreshold, excluded);
            }
            StreamerRecord record = byId.get(chosen.get());
            if (fleet.reserve(record.streamerId(), sessionId, threshold, timeoutMillis)) {
                StreamerRegistration registration = find(record.streamerId()).orElse(null);
                if (registration != null && registration.registrationId().equals(record.registrationId())) {
                    return registration;
                }
                fleet.release(record.streamerId(), sessionId);
            }
            refused.add(record.streamerId());
        }
    }

    private static StatusRuntimeException full(List<StreamerLoad> loads, int draining, int overThreshold,
                                               Set<String> excluded) {
        String notAnswering = excluded.isEmpty() ? "" : "; not answering: " + String.join(", ", new TreeSet<>(excluded));
        if (loads.isEmpty()) {
            return Status.UNAVAILABLE.withDescription("no streamer takes new sessions now (" + draining + " draining, "
                    + overThreshold + " over the load threshold)" + notAnswering).asRuntimeException();
        }
        int total = loads.stream().mapToInt(StreamerLoad::sessions).sum();
        return Status.RESOURCE_EXHAUSTED
                .withDescription("all " + loads.size() + " streamers are full (" + total + " sessions)" + notAnswering)
                .asRuntimeException();
    }

    /**
     * A slot without a session record for this long belongs to a create whose replica died before it wrote the
     * record (a create holds its slot for two control calls at most: the streamer's and the renderer's OpenSession).
     */
    public static final long STRANDED_SLOT_MILLIS = 60_000;

    /** "streamer/session" -> fleet ms this replica first saw the slot without a record. */
    private final Map<String, Long> strandedSince = new HashMap<>();

    /**
     * Frees the slots that have had no session record for {@link #STRANDED_SLOT_MILLIS} as this replica saw them
     * (every replica may do it: freeing a slot twice is harmless).
     *
     * @return how many were freed
     */
    public synchronized int freeStrandedSlots() {
        if (!fleet.shared()) {
            return 0;
        }
        long now = fleet.nowMillis();
        Set<String> seen = new HashSet<>();
        int freed = 0;
        for (Map.Entry<String, List<String>> streamer : fleet.slotsWithoutRecord().entrySet()) {
            for (String sessionId : streamer.getValue()) {
                String key = streamer.getKey() + "/" + sessionId;
                seen.add(key);
                long since = strandedSince.computeIfAbsent(key, k -> now);
                if (now - since >= STRANDED_SLOT_MILLIS) {
                    fleet.release(streamer.getKey(), sessionId);
                    seen.remove(key);
                    freed++;
                    org.slf4j.LoggerFactory.getLogger(StreamerRegistry.class).warn("freed the slot of session {} on "
                            + "streamer {}: no session record for {} s (its create was cut off)", sessionId,
                            streamer.getKey(), STRANDED_SLOT_MILLIS / 1000);
                }
            }
        }
        strandedSince.keySet().retainAll(seen);
        return freed;
    }

    /** Gives back the slot a reservation took for the session. Harmless when it holds none. */
    public void release(StreamerRegistration registration, String sessionId) {
        fleet.release(registration.streamerId(), sessionId);
    }

    public int sessionsOn(StreamerRegistration registration) {
        return fleet.slotsUsed(registration.streamerId());
    }

    /** Seconds since the stalest streamer's last heartbeat (fleet-wide); 0 with none registered. */
    public double oldestHeartbeatAgeSeconds() {
        long now = fleet.nowMillis();
        long oldest = 0;
        for (StreamerRecord record : fleet.streamers()) {
            oldest = Math.max(oldest, now - record.heartbeatAtMillis());
        }
        return oldest / 1e3;
    }

    /** Streamers in the fleet (registered with any replica). */
    public int registeredCount() {
        return fleet.streamers().size();
    }
}
