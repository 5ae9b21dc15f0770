package io.facecast.streamer.schedule;

import java.util.NoSuchElementException;

/** The session is not open on this scheduler (never opened, or closed). Callers map it to NOT_FOUND. */
public final class UnknownSessionException extends NoSuchElementException {
    public UnknownSessionException(String sessionId) {
        super("session " + sessionId + " is not open on this streamer");
    }
}
