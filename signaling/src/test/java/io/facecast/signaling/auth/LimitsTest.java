package io.facecast.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.signaling.support.ManualNanoTime;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-key token bucket and the event tickets, on a clock the test moves. */
class LimitsTest {

    final ManualNanoTime time = new ManualNanoTime();

    @Test
    void aKeyGetsItsBurstThenItsRateAndOtherKeysAreUntouched() {
        RateLimiter limiter = new RateLimiter(2, 3, time); // 2/s, burst 3
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, limiter.acquire("a"));
        }
        assertEquals(Duration.ofMillis(500), limiter.acquire("a"), "one request refills in 1/2 s");
        assertEquals(Duration.ZERO, limiter.acquire("b"), "another key has its own bucket");
        time.advance(Duration.ofMillis(499));
        assertFalse(limiter.acquire("a").isZero());
        time.advance(Duration.ofMillis(2));
        assertEquals(Duration.ZERO, limiter.acquire("a"));
        time.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, limiter.acquire("a"), "an idle key gets back its burst, no more");
        }
        assertFalse(limiter.acquire("a").isZero());
    }

    @Test
    void aTicketIsSpentOnceForItsSessionOnlyAndExpires() {
        EventTickets tickets = new EventTickets(time, new SecureRandom());
        String t = tickets.issue("s1");
        assertTrue(tickets.redeem(t, "s1"));
        assertFalse(tickets.redeem(t, "s1"), "one use");

        String forOther = tickets.issue("s1");
        assertFalse(tickets.redeem(forOther, "s2"), "bound to its session");
        assertFalse(tickets.redeem(forOther, "s1"), "and spent by the wrong try too");

        String late = tickets.issue("s1");
        time.advance(EventTickets.TTL);
        assertFalse(tickets.redeem(late, "s1"), "expired after " + EventTickets.TTL);

        String inTime = tickets.issue("s1");
        time.advance(EventTickets.TTL.minusMillis(1));
        assertTrue(tickets.redeem(inTime, "s1"));
        assertFalse(tickets.redeem(null, "s1"));
    }
}
