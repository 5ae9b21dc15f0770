package io.facecast.signaling.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One-use, short-lived tickets for the one client that cannot send an Authorization header, the browser's
 * EventSource: {@code POST .../events-ticket} (with the token in the header) gives a ticket for that session only,
 * {@code GET .../events?ticket=} spends it. A ticket in a URL (logs, history) is worthless once used or after
 * {@link #TTL}.
 */
final class EventTickets {

    static final Duration TTL = Duration.ofSeconds(30);
    static final int MAX_OUTSTANDING = 10_000;

    private record Ticket(String sessionId, long expiresAtNanos) {}

    private final LongSupplier nanoTime;
    private final SecureRandom random;
    private final Map<String, Ticket> tickets = new LinkedHashMap<>(); // insertion order = expiry order

    EventTickets(LongSupplier nanoTime, SecureRandom random) {
        this.nanoTime = nanoTime;
        this.random = random;
    }

    synchronized String issue(String sessionId) {
        long now = nanoTime.getAsLong();
        tickets.values().removeIf(t -> now - t.expiresAtNanos() >= 0);
        if (tickets.size() >= MAX_OUTSTANDING) {
            throw new QuotaExceeded("too many event tickets outstanding; use them or wait " + TTL.toSeconds() + " s", TTL);
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tickets.put(ticket, new Ticket(sessionId, now + TTL.toNanos()));
        return ticket;
    }

    /** Spends the ticket; true when it was issued for this session, unused and unexpired. */
    synchronized boolean redeem(String ticket, String sessionId) {
        Ticket t = ticket == null ? null : tickets.remove(ticket);
        return t != null && t.sessionId().equals(sessionId) && nanoTime.getAsLong() - t.expiresAtNanos() < 0;
    }
}
