package io.facecast.signaling.backend;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;

/**
 * One supplied-audio utterance on its way to the renderer: the start went out when this was created; chunks follow in
 * order. {@link #result()} completes when the renderer answers, which may be before {@link #finish()} when it rejects
 * the audio; it then fails with a {@link io.grpc.StatusRuntimeException} fit for the client (see {@link BackendCall}).
 */
public interface RendererAudioUpload {

    void send(ByteString chunk);

    /**
     * Runs {@code next} once the renderer can take another chunk: at once when it can (or when the upload is over),
     * else when the renderer asks for more. At most one {@code next} waits at a time; it runs on a transport thread.
     * This is how the relay paces the client to the renderer (request-n flow control end to end).
     */
    default void whenReady(Runnable next) {
        next.run();
    }

    /** All chunks are sent. */
    void finish();

    /** The client went away: the renderer speaks what it got and stops. */
    void abort(String why);

    CompletableFuture<Void> result();
}
