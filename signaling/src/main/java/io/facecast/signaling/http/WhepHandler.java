package io.facecast.signaling.http;

import io.facecast.ops.log.SessionLogContext;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.VideoOptions;
import io.facecast.signaling.auth.Principal;
import io.facecast.signaling.auth.PublicAccess;
import io.facecast.signaling.session.SdpOfferCheck;
import io.facecast.signaling.session.SessionManager;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHEP (draft-ietf-wish-whep, with the WHIP rules of RFC 9725 it builds on). The endpoint {@code POST /whep} takes a
 * receive-only SDP offer, creates a session (avatar, voice and video size from the query) and answers 201 with the
 * SDP answer, the resource in Location, the session's ICE servers as Link headers and an ETag. A session made
 * through the JSON API has its own endpoint, {@code POST /api/sessions/{id}/whep}. The resource
 * {@code /whep/resource/{id}} takes PATCH (trickle ICE, application/trickle-ice-sdpfrag) and DELETE (ends the
 * session). Every call goes to the same {@link SessionManager} methods the gRPC API calls. The POST's bearer
 * (API key or a token with the create grant) also reaches the resource it created, as WHEP players send one token
 * for every request; the 201 carries the session's own token in {@value #SESSION_TOKEN_HEADER} for a page that
 * should hold no more than that.
 */
final class WhepHandler {

    private static final Logger log = LoggerFactory.getLogger(WhepHandler.class);
    static final String ENDPOINT = "/whep";
    static final String RESOURCE_PREFIX = "/whep/resource/";
    static final String SDP = "application/sdp";
    static final String TRICKLE = "application/trickle-ice-sdpfrag";
    static final String SESSION_TOKEN_HEADER = "Facecast-Session-Token";

    private final SessionManager sessions;
    private final PublicAccess access;
    private final Map<String, OfferFacts> resources = new ConcurrentHashMap<>();

    WhepHandler(SessionManager sessions, PublicAccess access) {
        this.sessions = sessions;
        this.access = access;
    }

    /** Handles a request below /whep from an authenticated caller. */
    void handle(Exchange exchange, Principal caller) throws IOException {
        String path = exchange.path();
        if (path.equals(ENDPOINT) || path.equals(ENDPOINT + "/")) {
            if (!exchange.method().equals("POST")) {
                throw HttpProblem.methodNotAllowed(exchange.method(), "POST (the SDP offer)");
            }
            String offer = readOffer(exchange);
            Session session = access.create(caller, createRequest(exchange), sessions::create);
            exchange.setHeader(SESSION_TOKEN_HEADER, session.getSessionToken());
            try {
                answer(exchange, session, offer);
            } catch (RuntimeException e) {
                closeQuietly(session.getSessionId());
                throw e;
            }
            return;
        }
        if (path.startsWith(RESOURCE_PREFIX)) {
            String id = path.substring(RESOURCE_PREFIX.length());
            access.requireSession(caller, id);
            switch (exchange.method()) {
                case "DELETE" -> {
                    sessions.close(id);
                    resources.remove(id);
                    exchange.sendEmpty(200);
                }
                case "PATCH" -> patch(exchange, id);
                default -> {
                    exchange.setHeader("Allow", "PATCH, DELETE, OPTIONS");
                    throw HttpProblem.methodNotAllowed(exchange.method(), "PATCH (trickle ICE) or DELETE");
                }
            }
            return;
        }
        throw HttpProblem.notFound("no WHEP endpoint at " + path + "; POST offers to " + ENDPOINT);
    }

    /** WHEP for a session created beforehand (JSON API or gRPC): the offer is negotiated on that session. */
    void offerToExisting(Exchange exchange, String sessionId) throws IOException {
        String offer = readOffer(exchange);
        answer(exchange, sessions.get(sessionId), offer);
    }

    private void answer(Exchange exchange, Session session, String offer) throws IOException {
        String id = session.getSessionId();
        String answer = sessions.negotiate(id, offer);
        resources.put(id, OfferFacts.of(offer));
        pruneClosed();
        exchange.setHeader("Location", RESOURCE_PREFIX + id);
        exchange.setHeader("ETag", etag(id));
        exchange.setHeader("Accept-Patch", TRICKLE);
        for (String link : IceLinks.of(session.getIceServersList())) {
            exchange.addHeader("Link", link);
        }
        try (SessionLogContext ctx = SessionLogContext.of(id)) {
            log.info("WHEP session {} answered", id);
        }
        exchange.send(201, SDP, answer);
    }

    private void patch(Exchange exchange, String id) throws IOException {
        OfferFacts offer = resources.get(id);
        if (offer == null) {
            sessions.get(id); // NOT_FOUND for an unknown id; a known one was not negotiated through WHEP
            throw HttpProblem.notFound("session " + id + " has no WHEP resource; POST an offer to " + ENDPOINT + " first");
        }
        exchange.requireContentType(TRICKLE);
        String ifMatch = exchange.header("If-Match");
        if (ifMatch != null && !ifMatch.strip().equals("*") && !ifMatch.strip().equals(etag(id))) {
            throw new HttpProblem(412, "FAILED_PRECONDITION",
                    "If-Match " + ifMatch + " does not match this resource's ETag " + etag(id));
        }
        TrickleFragment fragment = TrickleFragment.parse(exchange.body(), offer.mids());
        if (fragment.iceUfrag() != null && offer.iceUfrag() != null && !fragment.iceUfrag().equals(offer.iceUfrag())) {
            // RFC 9725: a resource that trickles but cannot restart ICE answers an ICE restart with 422.
            throw new HttpProblem(422, "UNIMPLEMENTED",
                    "ICE restart (a new ice-ufrag) is not supported; DELETE this resource and POST a new offer");
        }
        for (IceCandidate candidate : fragment.candidates()) {
            sessions.addIceCandidate(id, candidate);
        }
        exchange.sendEmpty(204);
    }

    private static String readOffer(Exchange exchange) throws IOException {
        exchange.requireContentType(SDP);
        String offer = exchange.body();
        // Checked before a session is created for it, so a bad offer costs no placement.
        SdpOfferCheck.check(offer);
        return offer;
    }

    private static CreateSessionRequest createRequest(Exchange exchange) {
        CreateSessionRequest.Builder request = CreateSessionRequest.newBuilder();
        if (exchange.query("avatar") != null) {
            request.setAvatar(exchange.query("avatar"));
        }
        if (exchange.query("voice") != null) {
            request.setVoice(exchange.query("voice"));
        }
        VideoOptions.Builder video = VideoOptions.newBuilder();
        video.setWidth(intQuery(exchange, "width"));
        video.setHeight(intQuery(exchange, "height"));
        video.setFps(intQuery(exchange, "fps"));
        return request.setVideo(video).build();
    }

    private static int intQuery(Exchange exchange, String name) {
        String value = exchange.query(name);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("query parameter " + name + "='" + value + "' is not a whole number");
        }
    }

    static String etag(String sessionId) {
        return "\"" + sessionId + "\"";
    }

    private void pruneClosed() {
        resources.keySet().removeIf(id -> {
            try {
                return sessions.get(id).getState() == SessionState.SESSION_STATE_CLOSED || sessions.get(id).getState() == SessionState.SESSION_STATE_FAILED;
            } catch (RuntimeException e) {
                return true;
            }
        });
    }

    private void closeQuietly(String sessionId) {
        try {
            sessions.close(sessionId);
        } catch (RuntimeException e) {
            log.warn("could not close session {} after a failed WHEP offer: {}", sessionId, e.getMessage());
        }
    }
}
