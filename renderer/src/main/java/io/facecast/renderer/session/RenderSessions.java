package io.facecast.renderer.session;

import io.facecast.ops.log.SessionLogContext;
import io.facecast.bus.BusMessage;
import io.facecast.errors.TextRules;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.audio.AudioDecoder;
import io.facecast.renderer.audio.PcmDecoder;
import io.facecast.renderer.audio.WavDecoder;
import io.facecast.renderer.neural.LipSync;
import io.facecast.renderer.segment.SegmentStream;
import io.facecast.renderer.text.SentenceSplitter;
import io.facecast.renderer.tts.SpeechSynthesizer;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The renderer's sessions: open (publish idle material), speak (queue an utterance), interrupt, close. All calls
 * return at once; rendering happens on the shared pool. Errors the caller can fix are {@link RendererException}s.
 */
public final class RenderSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RenderSessions.class);
    public static final String DEFAULT_NAME = "default";
    /** The shared rule (code points), the same number signaling checks. */
    public static final int MAX_TEXT_CHARS = TextRules.MAX_TEXT_CHARS;
    public static final int MAX_PENDING_UTTERANCES = 32;

    private final SpeechSynthesizer tts;
    private final AvatarRegistry avatars;
    private final BusAppenders buses;
    private final Executor pool;
    private final SegmentObserver observer;
    private final LookAheadGates gates;
    private final LipSync lipSync;
    private final Map<String, RenderSession> sessions = new ConcurrentHashMap<>();
    private volatile RendererMetrics metrics = RendererMetrics.NONE;
    /** Set when the process drains: open sessions are served on, new ones refused. */
    private volatile boolean draining;

    public RenderSessions(SpeechSynthesizer tts, AvatarRegistry avatars, BusAppenders buses, Executor pool,
                          SegmentObserver observer) {
        this(tts, avatars, buses, pool, observer, LookAheadGates.NONE);
    }

    public RenderSessions(SpeechSynthesizer tts, AvatarRegistry avatars, BusAppenders buses, Executor pool,
                          SegmentObserver observer, LookAheadGates gates) {
        this(tts, avatars, buses, pool, observer, gates, LipSync.NONE);
    }

    /** @param lipSync where mouths come from: {@link LipSync#NONE} (the avatar draws them) or a neural model */
    public RenderSessions(SpeechSynthesizer tts, AvatarRegistry avatars, BusAppenders buses, Executor pool,
                          SegmentObserver observer, LookAheadGates gates, LipSync lipSync) {
        this.lipSync = lipSync;
        this.gates = gates;
        this.tts = tts;
        this.avatars = avatars;
        this.buses = buses;
        this.pool = pool;
        this.observer = observer;
    }

    /** Where utterance timings and render speed are reported (the process's metrics); none by default. */
    public RenderSessions observe(RendererMetrics metrics) {
        this.metrics = metrics.bind(this);
        return this;
    }

    /**
     * What {@link #open} resolved the requested names to, and the highest utterance id the session's queue already
     * held (0 for a fresh session; see package-info, "Re-opening after a restart").
     */
    public record Opened(String avatar, String voice, VideoFormat format, long lastUtteranceId) {}

    /** From now on {@link #open} answers UNAVAILABLE; open sessions are served until they close. */
    public void drain() {
        draining = true;
    }

    public Opened open(String sessionId, String avatarName, String voice, MediaSpec media, String busPath) {
        requireSessionId(sessionId);
        if (draining) {
            throw new RendererException(Status.Code.UNAVAILABLE, "renderer is draining: it takes no new sessions");
        }
        String avatarKey = avatarName == null || avatarName.isEmpty() ? DEFAULT_NAME : avatarName;
        String voiceKey = voice == null || voice.isEmpty() ? DEFAULT_NAME : voice;
        VideoFormat format = VideoFormat.of(media == null ? MediaSpec.getDefaultInstance() : media);
        if (!avatars.contains(avatarKey)) {
            throw RendererException.notFound("unknown avatar '" + avatarKey + "'; known avatars: " + avatars.names());
        }
        tts.requireVoice(voiceKey);
        if (sessions.containsKey(sessionId)) {
            throw new RendererException(Status.Code.ALREADY_EXISTS, "session '" + sessionId + "' is already open; close it first");
        }
        Avatar avatar = avatars.create(avatarKey, format.width(), format.height()); // a broken pack fails here, before the bus
        BusWriter bus = buses.forSession(busPath, sessionId);
        RenderSession s = new RenderSession(sessionId, avatar, voiceKey, format, bus,
                gates.open(sessionId, format.fps(), bus.dir()), pool);
        if (sessions.putIfAbsent(sessionId, s) != null) { // a racing open of the same id: it owns the queue's writer
            throw new RendererException(Status.Code.ALREADY_EXISTS, "session '" + sessionId + "' is already open; close it first");
        }
        QueueHistory before = QueueHistory.scan(bus.queue(), avatar.width(), avatar.height(),
                avatar.idleFrames().size());
        s.reopenedAbove(before.found(), before.lastUtteranceId());
        boolean idleThere = before.holdsIdle(avatar.idleFrames().size());
        if (!idleThere) {
            publishIdle(s);
        }
        try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
            if (before.found()) {
                log.info("session {} re-opened: its queue holds {} record(s) of an earlier renderer instance, utterances"
                        + " up to {}; idle material {}", sessionId, before.records(),
                        Long.toUnsignedString(before.lastUtteranceId()), idleThere ? "still there" : "published again");
            }
            log.info("session {} open: avatar={} voice={} {}x{}@{} bus={}", sessionId, avatarKey, voiceKey,
                    format.width(), format.height(), format.fps(), bus.queue());
        }
        return new Opened(avatarKey, voiceKey, format, before.lastUtteranceId());
    }

    public void speak(String sessionId, long utteranceId, String text, boolean syncMarkers) {
        long received = System.nanoTime();
        RenderSession s = session(sessionId);
        if (text == null || text.isBlank()) {
            throw RendererException.invalid("text is empty: nothing to say");
        }
        requireWithinLimit("text", text);
        if (!TextRules.hasSpeakable(text)) {
            throw RendererException.invalid("text has nothing speakable (no letter or digit): emoji, symbols and "
                    + "punctuation alone give no speech");
        }
        if (s.isCancelled(utteranceId)) {
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "utterance " + Long.toUnsignedString(utteranceId)
                    + " was already discarded by an interrupt; use a higher utterance id");
        }
        requireAboveEarlierInstance(s, utteranceId);
        List<String> sentences = SentenceSplitter.split(text);
        UtteranceTrace trace = metrics.trace(sessionId, utteranceId, RendererMetrics.backendOf(s.voice), received);
        // Sync-marker frames carry a white test patch that no model may replace.
        TextSegmentRenderer render = new TextSegmentRenderer(trace.tts(tts), s.voice, sentences, text,
                new SegmentStream(trace.sink(s.bus), s.id, utteranceId, s.avatar, s.format.fps(),
                        syncMarkers ? null : lipSync.mouthFor(s.avatar, s.format.fps())), s.avatar, s.format.fps(),
                syncMarkers, utteranceId, s.gate, s::wake);
        RenderSession.Utterance u = new RenderSession.Utterance(utteranceId, trace.renderer(render));
        trace.accepted(); // before enqueue: a render thread may take it at once
        if (!s.enqueue(u, MAX_PENDING_UTTERANCES, () -> turn(s))) {
            throw new RendererException(Status.Code.RESOURCE_EXHAUSTED, "session '" + sessionId + "' already has "
                    + MAX_PENDING_UTTERANCES + " utterances waiting; wait for them or interrupt");
        }
    }

    /**
     * Queues an utterance of supplied audio: {@code wav} true means the upload is a WAV file (format from its header),
     * otherwise raw s16le PCM at {@code sampleRate} with {@code channels} interleaved. Frames are rendered as the
     * upload delivers audio; the utterance takes its turn in the session's queue like a text one.
     *
     * @throws RendererException INVALID_ARGUMENT for an unsupported format, NOT_FOUND for an unknown session,
     *         FAILED_PRECONDITION / RESOURCE_EXHAUSTED as {@link #speak}
     */
    public AudioUpload speakAudio(String sessionId, long utteranceId, boolean wav, int sampleRate, int channels, String text) {
        RenderSession s = session(sessionId);
        String caption = text == null ? "" : text;
        requireWithinLimit("text (the caption)", caption);
        AudioDecoder decoder = wav ? new WavDecoder() : new PcmDecoder(sampleRate, channels);
        requireAboveEarlierInstance(s, utteranceId);
        if (s.isCancelled(utteranceId)) {
            // The interrupt overtook the start of this upload: accept and discard it, as the interrupt asked.
            log.info("session {} utterance {} was interrupted before its audio started; discarding it", sessionId,
                    Long.toUnsignedString(utteranceId));
            return new AudioIntake(decoder, () -> true, () -> {});
        }
        AudioIntake in = new AudioIntake(decoder, () -> s.isCancelled(utteranceId), s::wake);
        UtteranceTrace trace = metrics.trace(sessionId, utteranceId, "upload", System.nanoTime());
        AudioSegmentRenderer render = new AudioSegmentRenderer(in, new SegmentStream(trace.sink(s.bus), s.id, utteranceId, s.avatar,
                s.format.fps(), lipSync.mouthFor(s.avatar, s.format.fps())), s.avatar, caption, s.format.fps(), utteranceId, s.gate, s::wake);
        trace.accepted();
        if (!s.enqueue(new RenderSession.Utterance(utteranceId, trace.renderer(render)), MAX_PENDING_UTTERANCES, () -> turn(s))) {
            throw new RendererException(Status.Code.RESOURCE_EXHAUSTED, "session '" + sessionId + "' already has "
                    + MAX_PENDING_UTTERANCES + " utterances waiting; wait for them or interrupt");
        }
        return in;
    }

    public void interrupt(String sessionId, long discardThroughUtteranceId) {
        session(sessionId).discardThrough(discardThroughUtteranceId);
    }

    public void close(String sessionId) {
        RenderSession s = sessions.remove(requireSessionId(sessionId));
        if (s == null) {
            throw unknownSession(sessionId);
        }
        s.close();
        gates.close(sessionId, s.bus.dir());
        buses.release(s.bus); // a frame being rendered now is dropped: nobody will read it
        try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
            log.info("session {} closed", sessionId);
        }
    }

    public int openSessions() {
        return sessions.size();
    }

    /** Cancels every session; appenders are closed by their owner after the workers stopped. */
    @Override
    public void close() {
        sessions.values().forEach(s -> {
            s.close();
            gates.close(s.id, s.bus.dir());
        });
        sessions.clear();
    }

    private void publishIdle(RenderSession s) {
        Avatar a = s.avatar;
        int w = a.width(), h = a.height();
        Region eyes = a.eyesRegion();
        List<byte[]> loop = a.idleFrames();
        List<Integer> holds = a.idleHolds();
        BusMessage[] records = new BusMessage[loop.size() + 1];
        for (int i = 0; i < loop.size(); i++) {
            records[i] = new BusMessage.IdleBase(s.id, i, loop.size(), holds.get(i), w, h, s.format.fps(), loop.get(i), 0);
        }
        records[loop.size()] = new BusMessage.IdleOverlay(s.id, 0, w, h, s.format.fps(),
                new BusMessage.Region(eyes.x(), eyes.y(), eyes.width(), eyes.height()), a.eyesClosedPatch(), 0);
        s.bus.append(records);
    }

    /** One utterance of one session, then yield the pool thread so other sessions get a turn. */
    private void turn(RenderSession s) {
        RenderSession.Utterance u = s.next();
        if (u == null) {
            return;
        }
        SegmentObserver.Outcome outcome;
        try {
            outcome = step(s, u);
        } catch (RuntimeException e) {
            try (SessionLogContext ctx = SessionLogContext.of(s.id)) {
                log.error("session {} utterance {} failed", s.id, Long.toUnsignedString(u.id()), e);
            }
            outcome = SegmentObserver.Outcome.FAILED;
        }
        if (outcome == null) { // waits for more audio, or for playback to catch up
            if (!s.park()) {
                s.schedule(() -> turn(s));
            }
            return;
        }
        try {
            observer.segmentDone(s.id, u.id(), outcome);
        } finally {
            if (s.hasMore()) {
                s.schedule(() -> turn(s));
            }
        }
    }

    /** @return null while the utterance waits (for uploaded audio or the look-ahead gate) */
    private static SegmentObserver.Outcome step(RenderSession s, RenderSession.Utterance u) {
        return switch (u.renderer().step(() -> s.isCancelled(u.id()))) {
            case WAITING -> null;
            case WRITTEN -> SegmentObserver.Outcome.WRITTEN;
            case CANCELLED -> SegmentObserver.Outcome.CANCELLED;
        };
    }

    /**
     * A re-opened session: the streamer ignores an utterance whose id is not above one it already has, so such an
     * id would be accepted here and never heard. Refuse it with the number to continue from.
     */
    private static void requireAboveEarlierInstance(RenderSession s, long utteranceId) {
        long floor = s.earlierUtterances();
        if (floor != 0 && Long.compareUnsigned(utteranceId, floor) <= 0) {
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "utterance " + Long.toUnsignedString(utteranceId)
                    + " is not above " + Long.toUnsignedString(floor) + ", the last utterance the streamer already has"
                    + " for session '" + s.id + "' (from before the renderer restarted); use a higher utterance id");
        }
    }

    private RenderSession session(String sessionId) {
        RenderSession s = sessions.get(requireSessionId(sessionId));
        if (s == null) {
            throw unknownSession(sessionId);
        }
        return s;
    }

    /** The shared rule, counted in code points like signaling does (1,500 emoji are 1,500 characters). */
    private static void requireWithinLimit(String what, String text) {
        int characters = TextRules.characters(text);
        if (characters > MAX_TEXT_CHARS) {
            throw RendererException.invalid(what + " is " + characters + " characters; the limit is " + MAX_TEXT_CHARS
                    + " (split it into several utterances)");
        }
    }

    private static String requireSessionId(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) {
            throw RendererException.invalid("session_id is required");
        }
        return sessionId;
    }

    private static RendererException unknownSession(String sessionId) {
        return RendererException.notFound("no session '" + sessionId + "' is open on this renderer; open it first");
    }
}
