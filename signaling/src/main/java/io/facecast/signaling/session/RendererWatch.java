package io.facecast.signaling.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, asks each node renderer of the streamers registered with this replica whether it answers (gRPC
 * health). Down: the node's sessions are told speech is unavailable (they stay CONNECTED; video and silence go on),
 * and Speak answers UNAVAILABLE at once. Up again: the node's live sessions are opened on it again with their stored
 * spec, so speech works on the same sessions. Each replica watches the renderers of its own streamers, so every
 * node is watched once.
 *
 * <p>A refused connection (nothing listens on the port: the process is gone) is "down" at once; a probe that only
 * gets no answer within its deadline is "down" after {@link #SILENT_PROBES_BEFORE_DOWN} such probes in a row,
 * because a renderer busy on a loaded machine misses a deadline now and then (seen in an 8-session soak: one late
 * probe told every client that speech was unavailable).
 */
public final class RendererWatch {

    private static final Logger log = LoggerFactory.getLogger(RendererWatch.class);

    private final StreamerLifecycle streamers;
    private final SessionManager sessions;
    /** What one health probe of a renderer got. */
    public enum Probe {
        ANSWERS,
        /** Connection refused or broken: the process is not there. */
        REFUSED,
        /** No answer within the probe's deadline: busy, or hanging. */
        SILENT
    }

    public static final int SILENT_PROBES_BEFORE_DOWN = 3;

    private final Function<String, Probe> probe;
    private final Map<String, Boolean> up = new HashMap<>();
    private final Map<String, Integer> silentInARow = new HashMap<>();
    private ScheduledFuture<?> task;

    /** @param probe renderer address (empty: the default renderer) -> what a health check of it gets now */
    public RendererWatch(StreamerLifecycle streamers, SessionManager sessions, Function<String, Probe> probe) {
        this.streamers = streamers;
        this.sessions = sessions;
        this.probe = probe;
    }

    /** One round of probes; tests call it instead of waiting. */
    public synchronized void runOnce() {
        Map<String, List<String>> nodes = streamers.streamersByRenderer();
        up.keySet().retainAll(nodes.keySet());
        silentInARow.keySet().retainAll(nodes.keySet());
        for (Map.Entry<String, List<String>> node : nodes.entrySet()) {
            String address = node.getKey();
            Boolean before = up.get(address);
            boolean now = switch (probe.apply(address)) {
                case ANSWERS -> {
                    silentInARow.remove(address);
                    yield true;
                }
                case REFUSED -> false;
                case SILENT -> silentInARow.merge(address, 1, Integer::sum) < SILENT_PROBES_BEFORE_DOWN
                        && !Boolean.FALSE.equals(before);
            };
            up.put(address, now);
            String name = address.isEmpty() ? "the default renderer" : "renderer " + address;
            if (!now && (before == null || before)) {
                log.warn("{} does not answer; telling the sessions of streamers {} that speech is unavailable", name, node.getValue());
                sessions.rendererDown(address, node.getValue());
            } else if (now && before != null && !before) {
                int reopened = sessions.rendererUp(address, node.getValue());
                log.info("{} answers again; {} live sessions opened on it again", name, reopened);
            }
        }
    }

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
        } catch (RuntimeException e) {
            log.error("renderer probe failed", e);
        }
    }
}
