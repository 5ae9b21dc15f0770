package io.facecast.signaling.support;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Sends {@code authorization: Bearer <credential>} with every call, as a real client does. */
public final class Bearer extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final String credential;

    private Bearer(String credential) {
        this.credential = credential;
    }

    public static Bearer of(String credential) {
        return new Bearer(credential);
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + credential);
        applier.apply(headers);
    }
}
