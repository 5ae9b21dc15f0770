package io.facecast.ops.log;

import java.io.PrintStream;
import java.time.Instant;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An slf4j logger that writes each event as one {@link JsonLogLine} to standard error (where text logs go too). */
final class JsonLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /** Null: off. */
    private final transient Level threshold;
    private final transient PrintStream out;

    JsonLogger(String name, Level threshold, PrintStream out) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override public boolean isTraceEnabled() { return enabled(Level.TRACE); }
    @Override public boolean isDebugEnabled() { return enabled(Level.DEBUG); }
    @Override public boolean isInfoEnabled() { return enabled(Level.INFO); }
    @Override public boolean isWarnEnabled() { return enabled(Level.WARN); }
    @Override public boolean isErrorEnabled() { return enabled(Level.ERROR); }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        // One println per event: PrintStream serialises them, so lines of concurrent threads never interleave.
        out.println(JsonLogLine.encode(Instant.now(), level.toString(), name, Thread.currentThread().getName(),
                message, throwable, MDC.getCopyOfContextMap()));
    }
}
