package io.facecast.ops.log;

import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.MDC;

/**
 * In JSON mode, java.util.logging (gRPC and Netty's fallback write there) goes out as JSON lines too, so no
 * two-line JUL record breaks the one-object-per-line rule. Levels map to slf4j's names (SEVERE is ERROR, FINE and
 * below are DEBUG/TRACE); JUL's own level settings decide what reaches the handler.
 */
final class JsonJulHandler extends Handler {
    private final SimpleFormatter messages = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String message = messages.formatMessage(record);
        System.err.println(JsonLogLine.encode(record.getInstant(), level(record.getLevel()),
                record.getLoggerName() == null ? "" : record.getLoggerName(), Thread.currentThread().getName(),
                message, record.getThrown(), MDC.getCopyOfContextMap()));
    }

    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) return "ERROR";
        if (v >= Level.WARNING.intValue()) return "WARN";
        if (v >= Level.INFO.intValue()) return "INFO";
        if (v >= Level.FINE.intValue()) return "DEBUG";
        return "TRACE";
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
    }
}
