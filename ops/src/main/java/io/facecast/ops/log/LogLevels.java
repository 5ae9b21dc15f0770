package io.facecast.ops.log;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.event.Level;

/**
 * The levels the JSON logger honours: the same settings slf4j-simple reads in text mode, so switching format never
 * changes what is logged. {@code simplelogger.properties} on the class path, overridden by system properties:
 * {@code org.slf4j.simpleLogger.defaultLogLevel} (info when unset) and {@code org.slf4j.simpleLogger.log.<name>}
 * (the longest dotted prefix of a logger's name wins).
 */
final class LogLevels {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private final Properties props = new Properties();

    LogLevels() {
        try (InputStream in = Thread.currentThread().getContextClassLoader() == null ? null
                : Thread.currentThread().getContextClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException ignored) {
            // no file: defaults
        }
    }

    /** The threshold for a logger: events below it are dropped. */
    Level levelOf(String name) {
        String n = name;
        while (true) {
            String v = get("log." + n);
            if (v != null) {
                return parse(v);
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                break;
            }
            n = n.substring(0, dot);
        }
        String d = get("defaultLogLevel");
        return d == null ? Level.INFO : parse(d);
    }

    private String get(String key) {
        String v = System.getProperty(PREFIX + key);
        return v != null ? v : props.getProperty(PREFIX + key);
    }

    /** slf4j-simple's words; "off" is a level above error. */
    private static Level parse(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            case "off" -> null;
            default -> Level.INFO;
        };
    }
}
