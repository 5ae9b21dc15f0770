package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.client.FacecastClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Waits until signaling can place a session (a streamer has registered). */
final class StackReadiness {
    private StackReadiness() {}

    static void awaitStreamerRegistered(FacecastClient client, LocalStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                var s = client.createSession(CreateSessionRequest.getDefaultInstance());
                client.closeSession(s.getSessionId());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) throw e;
                Thread.sleep(200); // waiting for another process to come up: nothing to inject a clock into
            }
        }
        throw new AssertionError("no streamer registered with signaling:\n" + stack.logs());
    }
}
