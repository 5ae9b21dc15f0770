package io.facecast.streamer.schedule;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event as a line, plus typed lists for assertions. */
final class RecordingListener implements ScheduleListener {
    record Event(String kind, long utterance, long mediaTimeMs, long value) {}

    final List<Event> events = new ArrayList<>();

    @Override
    public void speechStarted(String sessionId, long utteranceId, long mediaTimeMs, String text) {
        events.add(new Event("started", utteranceId, mediaTimeMs, 0));
    }

    @Override
    public void speechFinished(String sessionId, long utteranceId, long mediaTimeMs, long durationMs) {
        events.add(new Event("finished", utteranceId, mediaTimeMs, durationMs));
    }

    @Override
    public void interrupted(String sessionId, long utteranceId, long positionMs, long mediaTimeMs) {
        events.add(new Event("interrupted", utteranceId, mediaTimeMs, positionMs));
    }

    @Override
    public void wordStarted(String sessionId, long utteranceId, long mediaTimeMs, int textOffset, int textLength,
                            String word) {
        events.add(new Event("word", utteranceId, mediaTimeMs, textOffset));
    }

    final List<String> failures = new ArrayList<>();

    @Override
    public void utteranceFailed(String sessionId, long utteranceId, String code, String message) {
        events.add(new Event("failed", utteranceId, -1, 0));
        failures.add(code + " | " + message);
    }

    List<Event> of(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
