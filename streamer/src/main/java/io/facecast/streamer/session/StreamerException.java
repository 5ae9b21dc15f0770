package io.facecast.streamer.session;

import io.grpc.Status;

/** A refusal with the gRPC status the caller should see; the control service maps it in one place. */
public final class StreamerException extends RuntimeException {
    private final Status.Code code;

    public StreamerException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }
}
