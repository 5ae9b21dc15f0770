package io.facecast.client;

import io.facecast.api.v1.SessionEvent;

/** One-line, human-readable rendering of session events for the CLI and summary.txt. */
public final class EventFormat {
    private EventFormat() {
    }

    public static String describe(SessionEvent event) {
        return switch (event.getEventCase()) {
            case STATE_CHANGED -> "state " + event.getStateChanged().getState().name().replace("SESSION_STATE_", "")
                    + (event.getStateChanged().getReason().isEmpty() ? "" : " (" + event.getStateChanged().getReason()
                    + ")");
            case SPEECH_STARTED -> "speech_started utterance=" + event.getSpeechStarted().getUtteranceId()
                    + " media_time_ms=" + event.getSpeechStarted().getMediaTimeMs()
                    + " text=\"" + event.getSpeechStarted().getText() + "\"";
            case SPEECH_FINISHED -> "speech_finished utterance=" + event.getSpeechFinished().getUtteranceId()
                    + " media_time_ms=" + event.getSpeechFinished().getMediaTimeMs()
                    + " duration_ms=" + event.getSpeechFinished().getDurationMs();
            case INTERRUPTED -> "interrupted utterance=" + event.getInterrupted().getUtteranceId()
                    + " position_ms=" + event.getInterrupted().getPositionMs()
                    + " media_time_ms=" + event.getInterrupted().getMediaTimeMs();
            case ICE_CANDIDATE -> "ice_candidate " + event.getIceCandidate().getCandidate();
            case ERROR -> "error " + event.getError().getCode() + ": " + event.getError().getMessage()
                    + (event.getError().getUtteranceId() == 0 ? "" : " utterance=" + event.getError().getUtteranceId());
            case STATS -> "stats media_time_ms=" + event.getStats().getMediaTimeMs()
                    + " video_frames_sent=" + event.getStats().getVideoFramesSent()
                    + " audio_chunks_sent=" + event.getStats().getAudioChunksSent()
                    + String.format(" video_fps=%.1f", event.getStats().getVideoFps())
                    + " pacing_p99_us=" + event.getStats().getPacingErrorP99Us();
            case WORD_STARTED -> "word_started utterance=" + event.getWordStarted().getUtteranceId()
                    + " media_time_ms=" + event.getWordStarted().getMediaTimeMs()
                    + " text_offset=" + event.getWordStarted().getTextOffset()
                    + " word=\"" + event.getWordStarted().getWord() + "\"";
            case EVENT_NOT_SET -> "(empty event)";
        };
    }

    public static boolean isSpeechEvent(SessionEvent event) {
        return event.hasSpeechStarted() || event.hasSpeechFinished() || event.hasInterrupted() || event.hasError();
    }
}
