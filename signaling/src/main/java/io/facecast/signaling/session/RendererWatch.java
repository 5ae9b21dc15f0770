package io.facecast.signaling.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, asks each node renderer of the streamers registered with this replica whether it answers (gRPC
 * health). Down: the node's sessions are told speech is unavailable (they stay CONNECTED; video and silence go on),
 * and Speak answers UNAVAILABLE at once. Up again: the node's live sessions are opened on it again with their stored
 * spec, so speech works on the same sessions. Each replica watches the renderers of its own streamers, so every
 * node is watched once.
 */
public final class RendererWatch {

    private static final Logger log = LoggerFactory.getLogger(RendererWatch.class);

    private final StreamerLifecycle streamers;
    private final SessionManager sessions;
    private final Predicate<String> answers;
    private final Map<String, Boolean> up = new HashMap<>();
    private ScheduledFuture<?> task;

    /** @param answers renderer address (empty: the default renderer) -> whether it answers a health check now */
    public RendererWatch(StreamerLifecycle streamers, SessionManager sessions, Predicate<String> answers) {
        this.streamers = streamers;
        this.sessions = sessions;
        this.answers = answers;
    }

    /** One round of probes; tests call it instead of waiting. */
    public synchronized void runOnce() {
        Map<String, List<String>> nodes = streamers.streamersByRenderer();
        up.keySet().retainAll(nodes.keySet());
        for (Map.Entry<String, List<String>> node : nodes.entrySet()) {
            String address = node.getKey();
            boolean now = answers.test(address);
            Boolean before = up.put(address, now);
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
