package io.facecast.signaling;

import io.grpc.ServerBuilder;

/** Where the gRPC server listens: TCP in production, an in-process name in tests. */
public interface ServerBuilderFactory {
    ServerBuilder<?> create();
}
