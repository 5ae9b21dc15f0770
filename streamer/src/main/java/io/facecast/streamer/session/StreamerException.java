package io.facecast.streamer.session;

import io.facecast.errors.ErrorCode;
import io.facecast.errors.FacecastException;
import io.grpc.Status;

/** A refusal in the project's error vocabulary; the shared adapter ({@code io.facecast.errors.Errors}) maps it. */
public final class StreamerException extends FacecastException {

    public StreamerException(Status.Code code, String message) {
        super(ErrorCode.of(code), message);
    }

    public Status.Code code() {
        return errorCode().grpc();
    }
}
