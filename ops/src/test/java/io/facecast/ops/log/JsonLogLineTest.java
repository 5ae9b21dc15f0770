package io.facecast.ops.log;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.event.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogLineTest {
    private static final Instant T = Instant.parse("2024-05-06T07:08:09.123456Z");

    @Test
    void oneParseableLineWithEveryFieldEscaped() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 unicode é \u2028";
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("session_id", "s-1\"x");
        String line = JsonLogLine.encode(T, "WARN", "io.facecast.X", "thread \"a\"", nasty, null, mdc);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertEquals("2024-05-06T07:08:09.123Z", o.get("time").getAsString());
        assertEquals("WARN", o.get("level").getAsString());
        assertEquals("io.facecast.X", o.get("logger").getAsString());
        assertEquals("thread \"a\"", o.get("thread").getAsString());
        assertEquals(nasty, o.get("message").getAsString());
        assertEquals("s-1\"x", o.get("session_id").getAsString());
        assertNull(o.get("exception"));
        assertEquals("\\u0007", line.substring(line.indexOf("bell ") + 5, line.indexOf("bell ") + 11));
    }

    @Test
    void theExceptionIsOneStringFieldWithItsCause() {
        Exception e = new IllegalStateException("outer", new java.io.IOException("inner \"cause\""));
        String line = JsonLogLine.encode(T, "ERROR", "l", "main", "failed", e, null);
        assertFalse(line.contains("\n"), line);
        String trace = JsonParser.parseString(line).getAsJsonObject().get("exception").getAsString();
        assertTrue(trace.startsWith("java.lang.IllegalStateException: outer\n\tat "), trace);
        assertTrue(trace.contains("Caused by: java.io.IOException: inner \"cause\""), trace);
    }

    @Test
    void mdcKeysNeverShadowTheFixedFields() {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("level", "forged");
        mdc.put("session_id", "s1");
        JsonObject o = JsonParser.parseString(JsonLogLine.encode(T, "INFO", "l", "main", "m", null, mdc))
                .getAsJsonObject();
        assertEquals("INFO", o.get("level").getAsString());
        assertEquals("forged", o.get("mdc.level").getAsString());
        assertEquals("s1", o.get("session_id").getAsString());
    }

    @Test
    void theLoggerFormatsArgumentsHonoursItsLevelAndWritesTheMdc() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        JsonLogger logger = new JsonLogger("io.facecast.t", Level.INFO, out);
        // ops' surefire binds JsonLogProvider (slf4j.provider), so the MDC is its BasicMDCAdapter, as in a process.
        assertTrue(org.slf4j.LoggerFactory.getILoggerFactory() instanceof JsonLogProvider.Factory);
        logger.debug("hidden {}", 1);
        try (SessionLogContext ctx = SessionLogContext.of("sess-9")) {
            logger.info("session {} opened: {}x{}", "sess-9", 640, 360);
        }
        logger.warn("no session here", new RuntimeException("boom"));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        JsonObject first = JsonParser.parseString(lines[0]).getAsJsonObject();
        assertEquals("session sess-9 opened: 640x360", first.get("message").getAsString());
        assertEquals("INFO", first.get("level").getAsString());
        JsonObject second = JsonParser.parseString(lines[1]).getAsJsonObject();
        assertEquals("WARN", second.get("level").getAsString());
        assertNull(second.get("session_id"), "the session's context ended with its block");
        assertTrue(second.get("exception").getAsString().contains("RuntimeException: boom"));
        assertNull(MDC.get(LogFormat.SESSION_ID));
    }

    @Test
    void theFlagWinsOverTheEnvironmentAndABadValueSaysWhatIsAllowed() {
        assertEquals(LogFormat.TEXT, LogFormat.resolve(null, null));
        assertEquals(LogFormat.JSON, LogFormat.resolve(null, "json"));
        assertEquals(LogFormat.TEXT, LogFormat.resolve("text", "json"));
        assertEquals(LogFormat.JSON, LogFormat.resolve("JSON", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFormat.resolve("yaml", null));
        assertTrue(e.getMessage().contains("text or json"), e.getMessage());
    }
}
