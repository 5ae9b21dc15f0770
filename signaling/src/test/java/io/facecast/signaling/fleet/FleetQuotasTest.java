package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.support.RedisPerClass;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An API key's limits are the fleet's, not each replica's: two signaling replicas on one real redis-server let
 * through together what one would (open sessions per key, requests per key), on the injected fleet clock.
 */
class FleetQuotasTest {

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    final AtomicLong millis = new AtomicLong(9_000_000);
    final ApiKey key = ApiKey.generate(new SecureRandom());
    SignalingHarness a;
    SignalingHarness b;

    void replicas(int quota, double perSecond, int burst) throws Exception {
        AuthOptions auth = AuthOptions.withKeys(List.of(key)).withLimits(quota, perSecond, burst);
        a = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
        b = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
            b.close();
        }
    }

    FacecastGrpc.FacecastBlockingStub api(SignalingHarness replica) {
        return replica.facecastAs(key.value());
    }

    String create(SignalingHarness replica) {
        return api(replica).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
    }

    @Test
    void aKeysSessionQuotaIsCountedAcrossReplicas() throws Exception {
        replicas(2, 1e6, 1_000_000);
        a.addStreamer("s1", 8);
        String first = create(a);
        create(b);
        for (SignalingHarness replica : List.of(a, b)) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> create(replica));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("2 open sessions across the signaling replicas"),
                    refused.getStatus().getDescription());
        }
        assertEquals(2, a.get(io.facecast.signaling.placement.StreamerRegistry.class).fleet().slotsUsed("s1"),
                "a refused create took no slot");

        api(b).closeSession(CloseSessionRequest.newBuilder().setSessionId(first).build()); // closed through the other
        create(a);
        assertThrows(StatusRuntimeException.class, () -> create(b), "full again");
    }

    @Test
    void aKeysRequestRateIsCountedAcrossReplicas() throws Exception {
        replicas(1000, 1, 3); // 1 request/s, 3 at once
        GetSessionRequest unknown = GetSessionRequest.newBuilder().setSessionId(UUID.randomUUID().toString()).build();
        for (SignalingHarness replica : List.of(a, b, a)) {
            StatusRuntimeException admitted = assertThrows(StatusRuntimeException.class,
                    () -> api(replica).getSession(unknown));
            assertEquals(Status.Code.NOT_FOUND, admitted.getStatus().getCode(), "admitted, and answered");
        }
        StatusRuntimeException limited = assertThrows(StatusRuntimeException.class, () -> api(b).getSession(unknown));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.getStatus().getCode(), "the burst was spent through A and B");
        assertTrue(limited.getStatus().getDescription().contains("over its rate"), limited.getStatus().getDescription());

        millis.addAndGet(1000); // one request's worth of refill, fleet-wide
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> api(b).getSession(unknown)).getStatus().getCode());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(StatusRuntimeException.class,
                () -> api(a).getSession(unknown)).getStatus().getCode());
    }
}
