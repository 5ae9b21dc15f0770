package io.facecast.signaling.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class RpcTest {

    @Test
    void unexpectedExceptionsBecomePlainInternal() {
        StatusRuntimeException e = Rpc.toClient("Speak", new NullPointerException("field x of com.secret.Thing"));
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
        StatusRuntimeException e = Rpc.toClient("CreateSession", thrown);
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("avatar 'x' does not exist", e.getStatus().getDescription());
        assertNull(e.getStatus().getCause());
        assertNull(e.getTrailers());
    }

    @Test
    void internalWithoutDescriptionStaysGeneric() {
        StatusRuntimeException e = Rpc.toClient("Speak", Status.UNKNOWN.asRuntimeException());
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("internal error (see signaling log)", e.getStatus().getDescription());
    }
}
