package io.facecast.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Sends {@code authorization: Bearer <API key or access token>} with every call of a channel. */
public final class BearerCredentials extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final String credential;

    public BearerCredentials(String credential) {
        this.credential = credential;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + credential);
        applier.apply(headers);
    }
}
