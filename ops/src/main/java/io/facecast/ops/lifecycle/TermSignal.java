package io.facecast.ops.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM as a drain request instead of an immediate exit: with this handler the JVM does not run its shutdown
 * hooks on SIGTERM; each signal runs {@code onTerm} (first: drain; second: force) on its own thread, and the process
 * exits when its Server says so. SIGINT (Ctrl-C) keeps the JVM's default: an ordered shutdown through the hooks,
 * without waiting for sessions.
 */
public final class TermSignal {
    private static final Logger log = LoggerFactory.getLogger(TermSignal.class);

    private TermSignal() {}

    /** Returns false when the platform does not let us handle SIGTERM (then it stops the process as before). */
    public static boolean onTerm(Runnable onTerm) {
        try {
            Signal.handle(new Signal("TERM"), s -> {
                Thread t = new Thread(onTerm, "sigterm");
                t.setDaemon(false);
                t.start();
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("cannot handle SIGTERM ({}): it stops the process without a drain", e.toString());
            return false;
        }
    }
}
