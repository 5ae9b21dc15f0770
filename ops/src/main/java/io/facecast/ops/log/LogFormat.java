package io.facecast.ops.log;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format text|json} (or {@code FACECAST_LOG_FORMAT}; the flag wins), the same on all three processes.
 *
 * <p>Text is slf4j-simple, unchanged. JSON makes every log line on standard error one JSON object
 * ({@link JsonLogLine}: time, level, logger, thread, message, exception, and the MDC, so {@code session_id} on the
 * lines about a session), java.util.logging included. Standard output keeps its few plain start-up announcements
 * ("listening on", "ops on", "demo page:"...) in both modes: launchers and tests read them, and they are not logs.
 *
 * <p>slf4j binds its provider on the first logger made, so {@link #apply} must run before any: first thing in the
 * process's {@code call()}, with no static {@code Logger} in the main class.
 */
public enum LogFormat {
    TEXT, JSON;

    public static final String ENV = "FACECAST_LOG_FORMAT";
    /** The MDC key of the session a line is about. */
    public static final String SESSION_ID = "session_id";

    /** The flag's value, else the environment's, else text; anything else is a usage error. */
    public static LogFormat resolve(String flag, String env) {
        String v = flag != null && !flag.isBlank() ? flag : env;
        if (v == null || v.isBlank()) {
            return TEXT;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--log-format must be text or json (or " + ENV
                    + "), not '" + v + "'");
        };
    }

    /** Resolves (flag, then {@code FACECAST_LOG_FORMAT}) and sets logging up; returns the format in use. */
    public static LogFormat apply(String flag) {
        LogFormat format = resolve(flag, System.getenv(ENV));
        if (format == JSON) {
            System.setProperty("slf4j.provider", JsonLogProvider.class.getName());
            // slf4j announces an explicitly named provider on stderr at INFO: not a JSON line, and not news.
            System.setProperty("slf4j.internal.verbosity", "WARN");
            if (!(LoggerFactory.getILoggerFactory() instanceof JsonLogProvider.Factory)) {
                System.err.println("--log-format json: logging was set up before the flag was read; lines stay text");
                return TEXT;
            }
            java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            root.addHandler(new JsonJulHandler());
        }
        return format;
    }
}
