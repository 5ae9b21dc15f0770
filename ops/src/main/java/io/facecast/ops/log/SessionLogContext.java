package io.facecast.ops.log;

import org.slf4j.MDC;

/**
 * Puts a session's id in the logging context (MDC {@code session_id}) for the lines written inside it, and puts back
 * what was there before when closed: {@code try (var ctx = SessionLogContext.of(id)) { log.info(...); }}. JSON
 * lines carry it as a field; text lines are unchanged (the id is in their message already).
 */
public final class SessionLogContext implements AutoCloseable {
    private final String previous;

    private SessionLogContext(String sessionId) {
        this.previous = MDC.get(LogFormat.SESSION_ID);
        if (sessionId == null) {
            MDC.remove(LogFormat.SESSION_ID);
        } else {
            MDC.put(LogFormat.SESSION_ID, sessionId);
        }
    }

    public static SessionLogContext of(String sessionId) {
        return new SessionLogContext(sessionId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(LogFormat.SESSION_ID);
        } else {
            MDC.put(LogFormat.SESSION_ID, previous);
        }
    }
}
