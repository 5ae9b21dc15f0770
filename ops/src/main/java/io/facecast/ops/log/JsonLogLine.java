package io.facecast.ops.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * One log event as one line of JSON: {@code time} (UTC, ISO-8601 with milliseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message}, {@code exception} (the whole stack trace as one string, only when there is one),
 * then every MDC entry as a top-level string field ({@code session_id} on lines about a session). An MDC key that
 * would shadow one of the fixed fields is written as {@code mdc.<key>}. The line never contains a raw newline, so
 * one line is one event whatever the message holds.
 */
public final class JsonLogLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> FIXED = Set.of("time", "level", "logger", "thread", "message", "exception");

    private JsonLogLine() {
    }

    public static String encode(Instant time, String level, String logger, String thread, String message,
                                Throwable thrown, Map<String, String> mdc) {
        StringBuilder sb = new StringBuilder(160 + (message == null ? 0 : message.length()));
        sb.append("{\"time\":\"").append(TIME.format(time)).append('"');
        field(sb, "level", level);
        field(sb, "logger", logger);
        field(sb, "thread", thread);
        field(sb, "message", message == null ? "" : message);
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            field(sb, "exception", trace.toString());
        }
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    field(sb, FIXED.contains(e.getKey()) ? "mdc." + e.getKey() : e.getKey(), e.getValue());
                }
            }
        }
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(",\"");
        escape(sb, name);
        sb.append("\":\"");
        escape(sb, value);
        sb.append('"');
    }

    /** JSON string escaping (RFC 8259): quote, backslash and every control character. */
    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
