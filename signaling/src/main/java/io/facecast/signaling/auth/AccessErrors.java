package io.facecast.signaling.auth;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The two refusals of the auth layer, as statuses both transports already map (401 and 403 over HTTP). */
public final class AccessErrors {

    private AccessErrors() {}

    /** No credential, or one that is malformed, expired, or signed by no known key. */
    public static StatusRuntimeException unauthenticated(String message) {
        return Status.UNAUTHENTICATED.withDescription(message).asRuntimeException();
    }

    /** A valid credential that does not grant this action. */
    public static StatusRuntimeException permissionDenied(String message) {
        return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
    }
}
