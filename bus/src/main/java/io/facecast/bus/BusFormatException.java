package io.facecast.bus;

/** A record on the bus that this version cannot read. */
public final class BusFormatException extends RuntimeException {
    public BusFormatException(String message) {
        super(message);
    }
}
