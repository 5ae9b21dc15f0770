package io.facecast.rtc;

/**
 * The remote party sent an SDP (or ICE candidate) that cannot be used. The message says what is wrong so that a
 * server can return it as INVALID_ARGUMENT verbatim.
 */
public class InvalidSdpException extends Exception {
    public InvalidSdpException(String message) {
        super(message);
    }
}
