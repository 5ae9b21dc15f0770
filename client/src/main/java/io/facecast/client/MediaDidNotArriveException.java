package io.facecast.client;

/** The session was created but media did not flow (no connection, or no frames). */
public class MediaDidNotArriveException extends RuntimeException {
    public MediaDidNotArriveException(String message) {
        super(message);
    }
}
