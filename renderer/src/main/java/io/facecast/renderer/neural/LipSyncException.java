package io.facecast.renderer.neural;

/** A lip-sync model that cannot be loaded or run as configured; the message says what to change. */
public final class LipSyncException extends RuntimeException {
    public LipSyncException(String message) {
        super(message);
    }

    public LipSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
