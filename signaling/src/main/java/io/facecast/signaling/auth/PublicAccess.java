package io.facecast.signaling.auth;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionState;
import io.facecast.signaling.fleet.FleetQuotas;
import io.facecast.signaling.session.SessionManager;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The public API's one auth system, shared by gRPC ({@link GrpcAuth}) and HTTP: who is calling (API key or access
 * token), what they may do (create; a session), and how much (sessions and requests per key: counted in this
 * process, and with a shared registry across every replica too, see {@link FleetQuotas}). Transport code asks
 * here and maps the statuses: UNAUTHENTICATED (401), PERMISSION_DENIED (403), {@link QuotaExceeded} (429).
 */
public final class PublicAccess {

    private final AuthOptions options;
    private final AccessTokens tokens;
    private final SessionOwners owners;
    private final RateLimiter rates;
    private final EventTickets tickets;
    private final SessionManager sessions;
    private final java.util.Optional<FleetQuotas> fleetQuotas;

    public PublicAccess(AuthOptions options, SessionManager sessions, Clock clock, LongSupplier nanoTime) {
        this(options, sessions, clock, nanoTime, java.util.Optional.empty());
    }

    /**
     * @param fleetQuotas where the keys' limits are counted across replicas (a shared registry); empty: here only
     */
    public PublicAccess(AuthOptions options, SessionManager sessions, Clock clock, LongSupplier nanoTime,
                        java.util.Optional<FleetQuotas> fleetQuotas) {
        this.fleetQuotas = fleetQuotas;
        this.options = options;
        this.sessions = sessions;
        this.tokens = new AccessTokens(options.keys(), clock);
        this.owners = new SessionOwners(options.sessionQuota(), id -> isOpen(sessions, id));
        this.rates = new RateLimiter(options.requestsPerSecond(), options.burst(), nanoTime);
        this.tickets = new EventTickets(nanoTime, new SecureRandom());
    }

    public boolean enabled() {
        return options.enabled();
    }

    /**
     * Who sent this {@code Authorization} value ({@code Bearer <API key or access token>}), counted against the
     * key's request rate.
     *
     * @throws StatusRuntimeException UNAUTHENTICATED, or {@link QuotaExceeded} over the rate limit
     */
    public Principal authenticate(String authorization) {
        Principal principal = identify(authorization);
        admit(principal);
        return principal;
    }

    private Principal identify(String authorization) {
        if (!options.enabled()) {
            return Principal.ANONYMOUS;
        }
        if (authorization == null || authorization.isBlank()) {
            throw AccessErrors.unauthenticated(
                    "an API key or access token is required: send 'authorization: Bearer <key or token>'");
        }
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String scheme = value.split(" ", 2)[0];
            // Name the scheme only when it looks like one (Basic, Digest...): a bare key must not be echoed or logged.
            throw AccessErrors.unauthenticated("the authorization value must be 'Bearer <key or token>'"
                    + (scheme.matches("[A-Za-z-]{1,12}") && value.contains(" ") ? " (got a " + scheme + " credential)" : ""));
        }
        String credential = value.substring(7).strip();
        if (ApiKey.looksLikeKey(credential)) {
            return keyPrincipal(credential);
        }
        return tokens.verify(credential);
    }

    private Principal keyPrincipal(String presented) {
        ApiKey claimed;
        try {
            claimed = ApiKey.parse(presented);
        } catch (IllegalArgumentException e) {
            throw AccessErrors.unauthenticated("the API key is malformed: " + e.getMessage());
        }
        ApiKey known = tokens.key(claimed.id());
        // The id is public; the whole value is compared in constant time.
        if (known == null || !MessageDigest.isEqual(known.valueBytes(), claimed.valueBytes())) {
            throw AccessErrors.unauthenticated("the API key is not valid for this server");
        }
        return Principal.ofKey(known);
    }

    private void admit(Principal principal) {
        Duration wait = fleetQuotas.isPresent() ? fleetRate(fleetQuotas.get(), principal.keyId())
                : rates.acquire(principal.keyId());
        if (!wait.isZero()) {
            throw new QuotaExceeded("API key " + principal.keyId() + " is over its rate of "
                    + (long) options.requestsPerSecond() + " requests/s", wait);
        }
    }

    /**
     * The key's rate counted by every replica together; while the shared store does not answer (Redis restarting)
     * each replica counts it alone, so a request is neither refused nor held up for it.
     */
    private Duration fleetRate(FleetQuotas quotas, String keyId) {
        try {
            return Duration.ofMillis(quotas.takeRequest(keyId, options.requestsPerSecond(), options.burst()));
        } catch (StatusRuntimeException unreachable) {
            return rates.acquire(keyId);
        }
    }

    /** How long a create may hold a place under its key's cap before the hold lapses (a replica died mid-create). */
    static final Duration CREATE_HOLD_TTL = Duration.ofSeconds(60);

    /**
     * Holds a place under the key's session cap across every replica (the local count above is never higher, so it
     * refuses nothing the fleet would allow); null without a shared store.
     */
    private String holdFleetPlace(Principal principal) {
        if (fleetQuotas.isEmpty()) {
            return null;
        }
        String holdId = "hold:" + java.util.UUID.randomUUID();
        long used = fleetQuotas.get().holdSessionPlace(principal.keyId(), holdId, options.sessionQuota(),
                CREATE_HOLD_TTL.toMillis());
        if (used >= 0) {
            throw new QuotaExceeded("API key " + principal.keyId() + " has " + used + " open sessions across the "
                    + "signaling replicas, its quota is " + options.sessionQuota() + "; close one (CloseSession / "
                    + "DELETE) or wait for an abandoned one to be reaped", SessionOwners.QUOTA_RETRY);
        }
        return holdId;
    }

    /**
     * Creates a session for the caller under its key's quota and gives it a session token (the
     * {@code session:<id>} grant, valid for the configured lifetime).
     */
    public Session create(Principal principal, CreateSessionRequest request, java.util.function.Function<CreateSessionRequest, Session> create) {
        if (!principal.mayCreate()) {
            throw AccessErrors.permissionDenied("this token may not create sessions (it has no 'create' grant)");
        }
        SessionOwners.Reservation slot = owners.reserve(principal);
        String fleetHold;
        try {
            fleetHold = holdFleetPlace(principal);
        } catch (RuntimeException e) {
            slot.cancel();
            throw e;
        }
        Session session;
        try {
            session = create.apply(request);
        } catch (RuntimeException e) {
            slot.cancel();
            if (fleetHold != null) {
                try {
                    fleetQuotas.get().releaseSessionPlace(principal.keyId(), fleetHold);
                } catch (RuntimeException unreachable) {
                    // The hold lapses by itself (CREATE_HOLD_TTL).
                }
            }
            throw e;
        }
        slot.commit(session.getSessionId());
        if (fleetHold != null) {
            try {
                fleetQuotas.get().commitSessionPlace(principal.keyId(), fleetHold, session.getSessionId());
            } catch (RuntimeException unreachable) {
                // The session exists: the client gets it. Its place counts as the hold until that lapses.
            }
        }
        // Kept with the session in the fleet state, so every replica enforces who may use it.
        sessions.recordOwner(session.getSessionId(), principal.keyId(), principal.credentialId());
        return session.toBuilder().setSessionToken(sessionToken(principal, session.getSessionId())).build();
    }

    private String sessionToken(Principal principal, String sessionId) {
        ApiKey key = tokens.key(principal.keyId());
        if (key == null) {
            return ""; // --insecure-no-auth: nothing to sign with and nothing that checks
        }
        return tokens.mint(key, List.of(AccessTokens.SESSION + sessionId), options.sessionTokenTtl());
    }

    /**
     * @throws StatusRuntimeException PERMISSION_DENIED when the caller may not act on this session; an unknown id
     *                                passes, so the session layer answers NOT_FOUND as usual
     */
    public void requireSession(Principal principal, String sessionId) {
        if (!mayUse(principal, sessionId)) {
            throw AccessErrors.permissionDenied("this token does not grant access to session " + sessionId);
        }
    }

    /** Whether the caller may act on (or see) this session; an unknown id is allowed, see {@link #requireSession}. */
    public boolean mayUse(Principal principal, String sessionId) {
        if (!options.enabled()) {
            return true;
        }
        SessionOwners.Owner owner = owners.ownerOf(sessionId);
        if (owner == null) {
            owner = sessions.ownerOf(sessionId).map(o -> new SessionOwners.Owner(o[0], o[1])).orElse(null);
        }
        if (owner == null) {
            return principal.apiKey() || principal.sessions().contains(sessionId);
        }
        return principal.mayUse(sessionId, owner);
    }

    /** {@code POST /api/tokens}: a token of the caller's key; only the API key itself may mint. */
    public String mintToken(Principal principal, List<String> grants, Duration ttl) {
        ApiKey key = tokens.key(principal.keyId());
        if (!principal.apiKey() || key == null) {
            throw AccessErrors.permissionDenied(options.enabled()
                    ? "only the API key itself may mint tokens, not a token" : "auth is off (--insecure-no-auth): no tokens to mint");
        }
        try {
            return tokens.mint(key, grants, ttl);
        } catch (IllegalArgumentException e) {
            throw io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
    }

    /** A one-use ticket for the session's event stream (for EventSource, which cannot send headers). */
    public String eventTicket(Principal principal, String sessionId) {
        requireSession(principal, sessionId);
        return tickets.issue(sessionId);
    }

    public static Duration eventTicketTtl() {
        return EventTickets.TTL;
    }

    /** Spends an event ticket; the caller is then the holder of that session (counted against the anonymous rate). */
    public void redeemEventTicket(String ticket, String sessionId) {
        if (!tickets.redeem(ticket, sessionId)) {
            throw AccessErrors.unauthenticated("the event ticket is unknown, used, expired or for another session; "
                    + "POST .../events-ticket for a new one");
        }
    }

    /** Runs {@code body} only if the caller may use the session (a helper for the transports). */
    public <T> T onSession(Principal principal, String sessionId, Supplier<T> body) {
        requireSession(principal, sessionId);
        return body.get();
    }

    private static boolean isOpen(SessionManager sessions, String id) {
        try {
            SessionState state = sessions.get(id).getState();
            return state != SessionState.SESSION_STATE_CLOSED && state != SessionState.SESSION_STATE_FAILED;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
