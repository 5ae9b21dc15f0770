package io.facecast.signaling.http;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.InterruptResponse;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.NegotiateResponse;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.signaling.auth.Principal;
import io.facecast.signaling.auth.PublicAccess;
import io.facecast.signaling.session.SessionManager;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The session API as HTTP/JSON for browsers: the gRPC methods mapped onto resources, bodies in proto3 JSON, events
 * as server-sent events. Every call goes to the same {@link SessionManager} method the gRPC service calls.
 *
 * <pre>
 * POST   /api/tokens                    {"grants": ["create"], "ttlSeconds": 600} -> {"token", "expiresInSeconds"}
 *                                       (API key only)
 * POST   /api/sessions                  CreateSessionRequest -> 201 Session (with sessionToken)
 * GET    /api/sessions                  -> {"sessions": [Session...]}: the live sessions the caller may use
 * GET    /api/sessions/{id}             -> Session
 * DELETE /api/sessions/{id}             -> 204
 * POST   /api/sessions/{id}/negotiate   {"sdpOffer"} -> {"sdpAnswer"}
 * POST   /api/sessions/{id}/whep        WHEP offer (application/sdp) for this session
 * POST   /api/sessions/{id}/candidates  IceCandidate -> 204
 * POST   /api/sessions/{id}/speak       {"text", "syncMarkers"} -> {"utteranceId"}
 * POST   /api/sessions/{id}/interrupt   -> {"utteranceId"}
 * POST   /api/sessions/{id}/audio       audio/wav or audio/pcm;rate=R;channels=C body, streamed -> {"utteranceId"}
 * POST   /api/sessions/{id}/events-ticket  -> {"ticket", "expiresInSeconds"}: one use, for the next line
 * GET    /api/sessions/{id}/events?ticket=  text/event-stream of SessionEvent JSON (or with the Authorization header)
 * </pre>
 * Every route but {@code /api/tokens} and the create needs a credential for that session (see {@link PublicAccess}).
 */
final class SessionApiHandler {

    static final String PREFIX = "/api/sessions";
    static final String TOKENS = "/api/tokens";
    static final String EVENTS = "events";
    static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(10);
    static final String JSON = "application/json";
    static final long KEEP_ALIVE_SECONDS = 15;

    private final SessionManager sessions;
    private final WhepHandler whep;
    private final ScheduledExecutorService scheduler;
    private final PublicAccess access;
    private final int eventQueueCapacity;

    SessionApiHandler(SessionManager sessions, WhepHandler whep, ScheduledExecutorService scheduler, PublicAccess access,
                      int eventQueueCapacity) {
        this.sessions = sessions;
        this.whep = whep;
        this.scheduler = scheduler;
        this.access = access;
        this.eventQueueCapacity = eventQueueCapacity;
    }

    /** @param caller the authenticated caller; null when an event ticket authenticated this one event stream */
    void handle(Exchange exchange, Principal caller) throws IOException {
        String path = exchange.path();
        if (caller == null) {
            events(exchange, path.substring(PREFIX.length() + 1, path.length() - EVENTS.length() - 1));
            return;
        }
        if (path.equals(TOKENS)) {
            require(exchange, "POST");
            mintToken(exchange, caller);
            return;
        }
        if (!path.startsWith(PREFIX)) {
            throw HttpProblem.notFound("no API at " + path + "; the session API is under " + PREFIX);
        }
        String rest = path.substring(PREFIX.length());
        if ((rest.isEmpty() || rest.equals("/")) && exchange.method().equals("GET")) {
            StringBuilder list = new StringBuilder("{\"sessions\": [");
            for (Session session : sessions.liveSessions()) {
                if (!access.mayUse(caller, session.getSessionId())) {
                    continue; // another key's (or, for a session token, another) session
                }
                list.append(list.charAt(list.length() - 1) == '[' ? "" : ", ").append(ProtoJson.print(session));
            }
            exchange.send(200, JSON, list.append("]}").toString());
            return;
        }
        if (rest.isEmpty() || rest.equals("/")) {
            require(exchange, "POST");
            Session session = access.create(caller,
                    ProtoJson.parse(jsonBody(exchange), CreateSessionRequest.newBuilder()).build(), sessions::create);
            exchange.setHeader("Location", PREFIX + "/" + session.getSessionId());
            exchange.send(201, JSON, ProtoJson.print(session));
            return;
        }
        String[] parts = rest.substring(1).split("/", -1);
        String id = parts[0];
        access.requireSession(caller, id);
        if (parts.length == 1) {
            switch (exchange.method()) {
                case "GET" -> exchange.send(200, JSON, ProtoJson.print(sessions.get(id)));
                case "DELETE" -> {
                    sessions.close(id);
                    exchange.sendEmpty(204);
                }
                default -> throw HttpProblem.methodNotAllowed(exchange.method(), "GET or DELETE");
            }
            return;
        }
        if (parts.length != 2) {
            throw HttpProblem.notFound("no API at " + path);
        }
        switch (parts[1]) {
            case "negotiate" -> {
                require(exchange, "POST");
                NegotiateRequest request = ProtoJson.parse(jsonBody(exchange), NegotiateRequest.newBuilder()).build();
                String answer = sessions.negotiate(id, request.getSdpOffer());
                exchange.send(200, JSON, ProtoJson.print(NegotiateResponse.newBuilder().setSdpAnswer(answer).build()));
            }
            case "whep" -> {
                require(exchange, "POST");
                whep.offerToExisting(exchange, id);
            }
            case "candidates" -> {
                require(exchange, "POST");
                sessions.addIceCandidate(id, ProtoJson.parse(jsonBody(exchange), IceCandidate.newBuilder()).build());
                exchange.sendEmpty(204);
            }
            case "speak" -> {
                require(exchange, "POST");
                SpeakRequest request = ProtoJson.parse(jsonBody(exchange), SpeakRequest.newBuilder()).build();
                long utterance = sessions.speak(id, request.getText(), request.getSyncMarkers());
                exchange.send(200, JSON, ProtoJson.print(SpeakResponse.newBuilder().setUtteranceId(utterance).build()));
            }
            case "audio" -> {
                require(exchange, "POST");
                new AudioUploadRoute(sessions).handle(exchange, id);
            }
            case "interrupt" -> {
                require(exchange, "POST");
                long utterance = sessions.interrupt(id);
                exchange.send(200, JSON, ProtoJson.print(InterruptResponse.newBuilder().setUtteranceId(utterance).build()));
            }
            case EVENTS -> {
                require(exchange, "GET");
                events(exchange, id);
            }
            case "events-ticket" -> {
                require(exchange, "POST");
                Struct answer = Struct.newBuilder()
                        .putFields("ticket", Value.newBuilder().setStringValue(access.eventTicket(caller, id)).build())
                        .putFields("expiresInSeconds", Value.newBuilder()
                                .setNumberValue(PublicAccess.eventTicketTtl().toSeconds()).build())
                        .build();
                exchange.send(200, JSON, ProtoJson.print(answer));
            }
            default -> throw HttpProblem.notFound("no API at " + path
                    + "; a session has negotiate, whep, candidates, speak, audio, interrupt, events-ticket and events");
        }
    }

    private void events(Exchange exchange, String id) throws IOException {
        sessions.get(id); // a precise 404 before the 200 of the event stream is sent
        SseEventSink sink = new SseEventSink(exchange, id, eventQueueCapacity);
        AtomicReference<ScheduledFuture<?>> keepAlive = new AtomicReference<>();
        Runnable unsubscribe = sessions.watch(id, sink);
        // The tick only queues a keep-alive (and cuts a stalled write); the scheduler thread never touches the socket.
        keepAlive.set(scheduler.scheduleWithFixedDelay(() -> {
            if (!sink.keepAlive()) {
                unsubscribe.run();
                keepAlive.get().cancel(false);
            }
        }, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS));
    }

    private void mintToken(Exchange exchange, Principal caller) throws IOException {
        Struct body = ProtoJson.parse(jsonBody(exchange), Struct.newBuilder()).build();
        List<String> grants = new ArrayList<>();
        Value grantsValue = body.getFieldsOrDefault("grants", Value.newBuilder()
                .setListValue(ListValue.newBuilder().addValues(Value.newBuilder().setStringValue("create"))).build());
        if (!grantsValue.hasListValue()) {
            throw HttpProblem.badRequest("grants must be a list of strings, e.g. [\"create\"] or [\"session:<id>\"]");
        }
        for (Value grant : grantsValue.getListValue().getValuesList()) {
            if (!grant.hasStringValue()) {
                throw HttpProblem.badRequest("grants must be a list of strings, e.g. [\"create\"] or [\"session:<id>\"]");
            }
            grants.add(grant.getStringValue());
        }
        Value ttlValue = body.getFieldsOrDefault("ttlSeconds",
                Value.newBuilder().setNumberValue(DEFAULT_TOKEN_TTL.toSeconds()).build());
        if (!ttlValue.hasNumberValue() || ttlValue.getNumberValue() != Math.rint(ttlValue.getNumberValue())) {
            throw HttpProblem.badRequest("ttlSeconds must be a whole number of seconds");
        }
        Duration ttl = Duration.ofSeconds((long) Math.max(0, Math.min(ttlValue.getNumberValue(), 1e9)));
        String token = access.mintToken(caller, grants, ttl);
        Struct answer = Struct.newBuilder()
                .putFields("token", Value.newBuilder().setStringValue(token).build())
                .putFields("expiresInSeconds", Value.newBuilder().setNumberValue(ttl.toSeconds()).build())
                .build();
        exchange.send(200, JSON, ProtoJson.print(answer));
    }

    private static String jsonBody(Exchange exchange) throws IOException {
        String body = exchange.body();
        if (!body.isBlank()) {
            exchange.requireContentType(JSON);
        }
        return body;
    }

    private static void require(Exchange exchange, String method) {
        if (!exchange.method().equals(method)) {
            throw HttpProblem.methodNotAllowed(exchange.method(), method);
        }
    }
}
