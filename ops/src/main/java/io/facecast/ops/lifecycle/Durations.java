package io.facecast.ops.lifecycle;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as people type them in flags: "30" (seconds), "30s", "500ms", "30m", "2h", or ISO-8601 "PT30M". */
public final class Durations {
    private Durations() {}

    /** @throws IllegalArgumentException naming the accepted forms, for a text that is not a non-negative duration */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (value.startsWith("p")) {
                d = Duration.parse(value);
            } else if (value.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                String seconds = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
                d = Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 30m, 90s, 500ms, 2h or PT30M");
        }
        return d;
    }
}
