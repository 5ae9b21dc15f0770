package io.facecast.signaling.relay;

import io.facecast.api.v1.Error;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.StateChanged;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds the events signaling itself produces, stamped from the injected wall clock. */
public final class SessionEvents {

    private final Clock clock;

    public SessionEvents(Clock clock) {
        this.clock = clock;
    }

    public long nowMicros() {
        Instant now = clock.instant();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }

    public SessionEvent stateChanged(String sessionId, SessionState state, String reason) {
        return SessionEvent.newBuilder()
                .setSessionId(sessionId)
                .setTimestampUs(nowMicros())
                .setStateChanged(StateChanged.newBuilder().setState(state).setReason(reason))
                .build();
    }

    public SessionEvent error(String sessionId, String code, String message) {
        return SessionEvent.newBuilder()
                .setSessionId(sessionId)
                .setTimestampUs(nowMicros())
                .setError(Error.newBuilder().setCode(code).setMessage(message))
                .build();
    }

    /** Streamers stamp their events; one that did not gets the time it passed through here. */
    public SessionEvent stamped(SessionEvent event) {
        return event.getTimestampUs() != 0 ? event : event.toBuilder().setTimestampUs(nowMicros()).build();
    }
}
