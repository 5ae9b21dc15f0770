package io.facecast.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void unexpectedExceptionsBecomePlainInternalNamingTheLog() {
        StatusRuntimeException e = Errors.toStatus("Speak", "signaling", new NullPointerException("field x of com.secret.Thing"));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("internal error (see signaling log)", e.getStatus().getDescription());
        assertNull(e.getStatus().getCause());
    }

    @Test
    void deliberateStatusesKeepCodeAndMessageButDropCauseAndTrailers() {
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("debug", Metadata.ASCII_STRING_MARSHALLER), "internal detail");
        StatusRuntimeException thrown = Status.NOT_FOUND.withDescription("avatar 'x' does not exist")
                .withCause(new IllegalStateException("backend detail")).asRuntimeException(trailers);
        StatusRuntimeException e = Errors.toStatus("CreateSession", "signaling", thrown);
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("avatar 'x' does not exist", e.getStatus().getDescription());
        assertNull(e.getStatus().getCause());
        assertNull(e.getTrailers());
    }

    @Test
    void projectExceptionsMapOnceToGrpcAndHttp() {
        Errors.ClientError error = Errors.classify("AddIceCandidate", "streamer",
                FacecastException.invalid("candidate 'x' is not an ICE candidate"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error.code());
        assertEquals(Status.Code.INVALID_ARGUMENT, error.toStatusException().getStatus().getCode());
        assertEquals(400, error.code().httpStatus());
        assertEquals(404, ErrorCode.of(Status.Code.NOT_FOUND).httpStatus());
        assertEquals(503, ErrorCode.of(Status.Code.UNAVAILABLE).httpStatus());
        assertEquals(ErrorCode.INTERNAL, ErrorCode.of(Status.Code.UNKNOWN));
    }

    @Test
    void unknownAndForeignInternalStayGenericButOurPeerTextPasses() {
        assertEquals("internal error (see signaling log)",
                Errors.toStatus("Speak", "signaling", Status.UNKNOWN.asRuntimeException()).getStatus().getDescription());
        assertEquals("internal error (see signaling log)", Errors.toStatus("Speak", "signaling",
                Status.INTERNAL.withDescription("Failed to frame message at com.secret").asRuntimeException()).getStatus().getDescription());
        StatusRuntimeException peer = Errors.peerFailed("renderer", Status.Code.UNKNOWN);
        assertEquals(peer.getStatus().getDescription(), Errors.toStatus("Speak", "signaling", peer).getStatus().getDescription());
    }

    @Test
    void unaryCatchesErrorsFromNativeCodeSoNoneEscapesOntoAServerThread() {
        List<Throwable> errors = new ArrayList<>();
        StreamObserver<String> out = new StreamObserver<>() {
            @Override public void onNext(String value) { throw new AssertionError("no result expected"); }
            @Override public void onError(Throwable t) { errors.add(t); }
            @Override public void onCompleted() { throw new AssertionError("no completion expected"); }
        };
        Errors.unary("AddIceCandidate", "streamer", out, () -> {
            throw new Error("Create ICE candidate failed");
        });
        assertEquals(1, errors.size());
        assertEquals(Status.Code.INTERNAL, Status.fromThrowable(errors.get(0)).getCode());
        assertThrows(OutOfMemoryError.class, () -> Errors.unary("x", "y", out, () -> {
            throw new OutOfMemoryError("real trouble");
        }));
    }

    @Test
    void textRuleCountsCodePointsAndSpotsTextWithNothingToSay() {
        String emoji = "\uD83D\uDE00".repeat(TextRules.MAX_TEXT_CHARS); // 2000 code points, 4000 UTF-16 units
        TextRules.requireWithinLimit("text", emoji);
        FacecastException over = assertThrows(FacecastException.class,
                () -> TextRules.requireWithinLimit("text", emoji + "a"));
        assertTrue(over.getMessage().contains("2001 characters"), over.getMessage());
        assertFalse(TextRules.hasSpeakable("\uD83D\uDE00".repeat(10)));
        assertFalse(TextRules.hasSpeakable("?! ..."));
        assertTrue(TextRules.hasSpeakable("\uD83D\uDE00 hi"));
        assertTrue(TextRules.hasSpeakable("42"));
    }
}
