package io.facecast.rtc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which listener callbacks run. Native observer callbacks arrive on WebRTC's signaling thread;
 * calling back into the peer connection (close() in particular) from there deadlocks, so we hop threads first.
 */
final class RtcEvents {
    private static final Logger log = LoggerFactory.getLogger(RtcEvents.class);
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "facecast-rtc-events");
        thread.setDaemon(true);
        return thread;
    });

    private RtcEvents() {
    }

    static void dispatch(String what, Runnable callback) {
        EXECUTOR.execute(() -> {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("listener failed handling {}", what, e);
            }
        });
    }
}
