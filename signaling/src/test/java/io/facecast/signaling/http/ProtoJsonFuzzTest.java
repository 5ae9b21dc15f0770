package io.facecast.signaling.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Message;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.SpeakRequest;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Any JSON body of the HTTP API's requests (the messages {@link SessionApiHandler} parses) either fills the message,
 * which then prints and parses back to itself, or is refused with a 400 and a message; never another exception or an
 * Error (deep nesting included). Seeds: {@code ProtoJsonFuzzTestInputs/parse/} (first byte picks the message).
 * Fuzzing for real: docs/fuzzing.md.
 */
class ProtoJsonFuzzTest {

    private static final List<Supplier<Message.Builder>> REQUESTS = List.of(
            CreateSessionRequest::newBuilder, NegotiateRequest::newBuilder, IceCandidate::newBuilder,
            SpeakRequest::newBuilder);

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        Supplier<Message.Builder> request = REQUESTS.get(data.consumeInt(0, REQUESTS.size() - 1));
        String json = data.consumeRemainingAsString();
        Message message;
        try {
            message = ProtoJson.parse(json, request.get()).build();
        } catch (HttpProblem e) {
            assertEquals(400, e.status);
            assertFalse(e.getMessage().isBlank());
            return;
        }
        assertEquals(message, ProtoJson.parse(ProtoJson.print(message), request.get()).build());
    }
}
