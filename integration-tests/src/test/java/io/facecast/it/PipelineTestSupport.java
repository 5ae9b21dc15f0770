package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.client.FacecastClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import static org.junit.jupiter.api.Assertions.fail;

final class PipelineTestSupport {
    private PipelineTestSupport() {}

    /** Signaling answers UNAVAILABLE until a streamer registered; the stack is ready once a session can be made. */
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
        fail("no streamer registered with signaling:\n" + stack.logs());
    }
}
