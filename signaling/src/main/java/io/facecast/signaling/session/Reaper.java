package io.facecast.signaling.session;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second: declares silent streamers dead, closes sessions whose client vanished, takes over the sessions of
 * replicas that died (a shared store), and publishes the events kept while the store was unreachable. The decisions live in
 * {@link StreamerLifecycle#expireDead()} and {@link SessionManager#reapAbandoned()}, which read the injected clock, so
 * tests call {@link #runOnce()} after moving that clock instead of waiting.
 */
public final class Reaper {

    private static final Logger log = LoggerFactory.getLogger(Reaper.class);

    private final StreamerLifecycle streamers;
    private final SessionManager sessions;
    private ScheduledFuture<?> task;

    public Reaper(StreamerLifecycle streamers, SessionManager sessions) {
        this.streamers = streamers;
        this.sessions = sessions;
    }

    /** @return how many sessions were reaped as abandoned (sessions of dead streamers are not counted) */
    public int runOnce() {
        fleetHousekeeping();
        streamers.expireDead();
        int reaped = sessions.reapAbandoned();
        sessions.reapOrphans();
        streamers.freeStrandedSlots();
        return reaped;
    }

    /** Says this replica is alive; after the shared store lost its data (Redis restarted), writes back what it knows. */
    private void fleetHousekeeping() {
        io.facecast.signaling.fleet.FleetState fleet = streamers.fleet();
        if (!fleet.shared()) {
            return;
        }
        fleet.flushEvents(); // first: it never throws, and it keeps its bounds while the store is down
        fleet.replicaAlive(REPLICA_TTL_MILLIS);
        if (fleet.lostData()) {
            streamers.rewriteRecords();
            int n = sessions.rewriteRecords();
            log.warn("the shared fleet state lost its data (Redis restarted?): wrote back this replica's streamers and {} sessions", n);
        }
    }

    /** A replica not heard of for this long is gone (its streamers are then probed before being declared dead). */
    static final long REPLICA_TTL_MILLIS = 3_000;

    public synchronized void start(ScheduledExecutorService scheduler) {
        if (task == null) {
            task = scheduler.scheduleWithFixedDelay(this::runSafely, 1, 1, TimeUnit.SECONDS);
        }
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (io.grpc.StatusRuntimeException e) {
            // The shared store is unreachable (Redis restarting): said once a second in one line, retried next pass.
            log.warn("reaper pass skipped: {}", e.getStatus().getDescription());
        } catch (RuntimeException e) {
            // A failure here must not cancel the periodic task (scheduleWithFixedDelay stops on an exception).
            log.error("reaper pass failed", e);
        }
    }
}
