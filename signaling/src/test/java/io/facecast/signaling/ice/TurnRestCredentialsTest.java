package io.facecast.signaling.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnRestCredentialsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_794_996_400L), ZoneOffset.UTC);

    @Test
    void mintsCoturnRestCredentialsPerSession() {
        IceServer stun = IceServer.newBuilder().addUrls("stun:127.0.0.1:3478").build();
        TurnRestCredentials turn = new TurnRestCredentials(List.of(stun), List.of("turn:127.0.0.1:3478?transport=udp"),
                "S3cret", Duration.ofSeconds(3600), CLOCK, true);

        List<IceServer> servers = turn.forSession("abc");

        assertEquals(stun, servers.get(0));
        IceServer minted = servers.get(1);
        assertEquals(List.of("turn:127.0.0.1:3478?transport=udp"), minted.getUrlsList());
        // expiry = now + ttl, then the session id; password = base64(HMAC-SHA1(secret, username)), as coturn checks it.
        assertEquals("1795000000:abc", minted.getUsername());
        assertEquals("HOR4HZsk70tKQb7rrWHmK/G9WWg=", minted.getCredential());
        assertTrue(turn.relayOnly());
    }

    @Test
    void withoutTurnUrlsOnlyTheStaticServersAreHandedOut() {
        TurnRestCredentials none = new TurnRestCredentials(List.of(), List.of(), "", Duration.ofHours(1), CLOCK, false);
        assertEquals(List.of(), none.forSession("abc"));
    }

    @Test
    void turnUrlsNeedASecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TurnRestCredentials(
                List.of(), List.of("turn:h:3478"), "", Duration.ofHours(1), CLOCK, false));
        assertTrue(e.getMessage().contains("--turn-secret"), e.getMessage());
    }
}
