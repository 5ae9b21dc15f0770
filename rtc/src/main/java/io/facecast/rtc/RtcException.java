package io.facecast.rtc;

/** The native WebRTC layer failed or did not answer in time; not the remote party's fault. */
public class RtcException extends RuntimeException {
    public RtcException(String message) {
        super(message);
    }

    public RtcException(String message, Throwable cause) {
        super(message, cause);
    }
}
