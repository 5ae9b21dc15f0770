package io.facecast.streamer.schedule;

import io.facecast.bus.MediaFormat;
import io.facecast.bus.BusMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;

import static io.facecast.streamer.schedule.MediaTimeline.chunkDueOffset;
import static io.facecast.streamer.schedule.MediaTimeline.frameDueOffset;
import static io.facecast.streamer.schedule.MediaTimeline.frameMediaMillis;

/**
 * One session's timeline, driven by the scheduler thread alone (see the package documentation for the rules).
 *
 * <p>What each global frame shows is <em>decided</em> lazily, in order, at the first moment either the frame itself
 * or the audio chunk holding its first sample is pushed: idle, segment frame j, or a hold. Deciding fixes where the
 * frame's audio lands, so audio and video of a decision can never disagree; a decision made is only ever revised by
 * an interrupt, and then only to idle.
 */
final class SessionPlayer {
    private static final Logger log = LoggerFactory.getLogger(SessionPlayer.class);
    private static final byte IDLE = 0;
    private static final byte SPEECH = 1;
    private static final byte HOLD = 2;
    /** Decisions run at most a couple of frames ahead of video pushes; 16 slots is ample. */
    private static final int RING = 16;
    private static final int MAX_FRAME_INDEX = 1 << 24;

    final SessionHandle handle;
    private final String sessionId;
    private final MediaSink sink;
    private final ScheduleListener listener;
    private final MediaClock clock;
    private final boolean skipLateVideo;
    private final long t0;
    private final int rate;
    private final int fps;
    private final int chunkSamples;
    private final long startLeadSamples;
    /** The test audio delay in samples: chunk n carries global samples from {@code n*chunk - audioDelaySamples}. */
    private final long audioDelaySamples;
    private final int startLeadFrames;
    private final int maxStallFrames;
    private final FrameComposer composer;
    private final BlinkSchedule blink;
    private final byte[] chunk;
    private final AudioRuns runs = new AudioRuns();
    private final ArrayDeque<Segment> queue = new ArrayDeque<>();

    private Segment deciding;
    private Segment onAir;
    private long nextFrame;
    private long nextChunk;
    private long decidedUntil;
    private final byte[] decKind = new byte[RING];
    private final Segment[] decSeg = new Segment[RING];
    private final int[] decJ = new int[RING];

    /** No utterance yet (for the two marks below); utterance ids compare unsigned ({@link MediaFormat}). */
    private static final long NONE = Long.MIN_VALUE;
    private long ignoreThrough = NONE;
    private long lastStartId = NONE;
    private long rejectedId = Long.MIN_VALUE;
    private long nextDue;
    private long warnings;
    /** Set by the scheduler thread before the first service. */
    PushMeters meters = PushMeters.NONE;
    /** When an interrupt that cut speech was posted; 0 once the next chunk (silence) went out. */
    long silenceDueSince;

    SessionPlayer(SessionHandle handle, MediaSink sink, ScheduleListener listener, MediaClock clock,
                  SchedulerConfig config) {
        SessionSpec spec = handle.spec;
        this.handle = handle;
        this.sessionId = spec.sessionId();
        this.sink = sink;
        this.listener = listener;
        this.clock = clock;
        this.skipLateVideo = config.skipLateVideo();
        this.t0 = handle.originNanos;
        this.rate = spec.sampleRate();
        this.fps = spec.fps();
        this.chunkSamples = MediaTimeline.chunkSamples(rate);
        this.startLeadSamples = (long) config.startLeadMillis() * rate / 1000;
        this.audioDelaySamples = (long) config.testAudioDelayMillis() * rate / 1000;
        this.startLeadFrames = MediaTimeline.framesCeil(config.startLeadMillis(), fps);
        this.maxStallFrames = Math.max(1, MediaTimeline.framesCeil(config.maxStallMillis(), fps));
        this.composer = new FrameComposer(spec.width(), spec.height());
        this.blink = new BlinkSchedule(spec.blinkSeed(), fps);
        this.chunk = new byte[chunkSamples * 2];
        updateNextDue();
    }

    long nextDue() {
        return nextDue;
    }

    private void updateNextDue() {
        nextDue = Math.min(t0 + frameDueOffset(nextFrame, fps), t0 + chunkDueOffset(nextChunk));
    }

    private long frameStartSample(long frame) {
        return MediaTimeline.frameStartSample(frame, rate, fps);
    }

    /** Pushes whichever of the next video frame and the next audio chunk is due first. */
    void service() {
        long videoDue = t0 + frameDueOffset(nextFrame, fps);
        long audioDue = t0 + chunkDueOffset(nextChunk);
        try {
            if (videoDue <= audioDue) {
                pushVideo(videoDue);
            } else {
                pushAudio(audioDue);
            }
        } finally {
            updateNextDue();
        }
    }

    // ------------------------------------------------------------------ audio

    private void pushAudio(long due) {
        long from = audioPosition();
        try {
            decideThrough(from + chunkSamples);
            Arrays.fill(chunk, (byte) 0);
            runs.render(from, chunkSamples, chunk);
            long t = clock.nanoTime();
            try {
                sink.pushAudio(chunk, rate, 1);
            } catch (RuntimeException e) {
                warn("audio sink failed: {}", e.toString());
            }
            meters.pushTook(false, clock.nanoTime() - t);
            handle.pacing.recordPush(t - due);
            handle.audioChunksPushed++;
            meters.audioPushed(t - due);
            if (silenceDueSince != 0) {
                meters.silencedAfterInterrupt(t - silenceDueSince);
                silenceDueSince = 0;
            }
        } finally {
            nextChunk++;
        }
    }

    /**
     * The global sample the next chunk starts with. Normally the chunk's own position; with the test audio delay
     * the timeline's audio is that much behind its video (before sample 0 is silence), nothing else changes.
     */
    private long audioPosition() {
        return nextChunk * chunkSamples - audioDelaySamples;
    }

    // ------------------------------------------------------------------ video

    private void pushVideo(long due) {
        long k = nextFrame;
        try {
            decideThrough(frameStartSample(k));
            int slot = (int) (k & (RING - 1));
            byte kind = decKind[slot];
            Segment s = decSeg[slot];
            int j = decJ[slot];
            decSeg[slot] = null;
            decKind[slot] = IDLE;
            boolean late = skipLateVideo && clock.nanoTime() >= t0 + frameDueOffset(k + 1, fps);
            BusMessage.Video patch = kind == SPEECH ? s.takePatch(j) : null;
            if (!late) {
                // A hold shows the frame as it is; so does a composition that changed nothing.
                boolean changed = kind != HOLD && composer.compose(k, blink.eyesClosed(k), patch);
                long t = clock.nanoTime();
                try {
                    if (changed) {
                        sink.pushVideo(composer.frame(), composer.width, composer.height);
                    } else {
                        sink.repeatVideo(composer.frame(), composer.width, composer.height);
                        meters.videoRepeated();
                    }
                } catch (RuntimeException e) {
                    composer.forget(); // the sink may not hold this picture: the next frame is sent in full
                    warn("video sink failed: {}", e.toString());
                }
                meters.pushTook(true, clock.nanoTime() - t);
                handle.pacing.recordPush(t - due);
                handle.pacing.recordVideo(t);
                handle.videoFramesPushed++;
                meters.videoPushed(t - due);
            } else {
                handle.videoFramesSkipped++;
                meters.videoSkipped();
            }
            handle.state = kind == IDLE ? SpeechState.IDLE : SpeechState.SPEAKING;
            if (kind == SPEECH) {
                s.framesPushed = j + 1;
                s.lastPushedGlobalFrame = k;
                if (j == 0 && !s.startedFired) {
                    s.startedFired = true;
                    s.firstGlobalFrame = k;
                    onAir = s;
                    fireStarted(s, k);
                    meters.firstFramePushed(sessionId, s.id,
                            patch != null && patch.producedNanos() != 0 ? clock.nanoTime() - patch.producedNanos() : -1);
                }
                for (Segment.Word w = s.nextWordThrough(j); w != null; w = s.nextWordThrough(j)) {
                    Segment.Word word = w;
                    long media = frameMediaMillis(k, fps), utterance = s.id;
                    safe(() -> listener.wordStarted(sessionId, utterance, media, word.textOffset(), word.textLength(), word.text()));
                }
                maybeFinish(s);
            }
        } finally {
            nextFrame++;
            handle.mediaTimeMs = frameMediaMillis(nextFrame, fps);
        }
    }

    // ------------------------------------------------------------------ decisions

    /** Decides every frame whose first sample is at or before {@code sampleLimit}. */
    private void decideThrough(long sampleLimit) {
        if (decidedUntil < nextFrame) {
            decidedUntil = nextFrame;
        }
        while (frameStartSample(decidedUntil) <= sampleLimit) {
            if (decidedUntil - nextFrame >= RING) {
                throw new IllegalStateException("decisions ran " + RING + " frames ahead of video in " + sessionId);
            }
            decide(decidedUntil);
            decidedUntil++;
        }
    }

    private void decide(long k) {
        Segment s = deciding;
        while (true) {
            if (s != null) {
                int j = s.nextFrame;
                if (s.ended() && j >= s.totalFrames()) {
                    finishDeciding(s, k);
                    s = null;
                    continue;
                }
                if (s.ready(j)) {
                    s.holdFrames = 0;
                    set(k, SPEECH, s, j);
                    placeAudio(s, j);
                    s.nextFrame = j + 1;
                    retireTo(s, j + 1, s.frameStartSample(j + 1));
                    return;
                }
                if (s.holdFrames >= maxStallFrames) {
                    warn("utterance {} starved for {} frames: finishing it with what arrived", s.id, s.holdFrames);
                    s.cutAtReceived();
                    continue;
                }
                // Renderer late: hold this frame, and move the rest of the segment (audio and video) one frame on.
                if (s.holdFrames++ == 0) {
                    handle.stalls++;
                    meters.stallStarted();
                }
                handle.stalledFrames++;
                meters.frameStalled();
                s.frameBase++;
                s.sampleBase = frameStartSample(s.frameBase);
                set(k, HOLD, s, j);
                return;
            }
            Segment head = queue.peekFirst();
            // A segment may only start where its first sample goes into a chunk not yet pushed.
            if (head != null && head.startable(startLeadSamples, startLeadFrames)
                    && frameStartSample(k) >= audioPosition()) {
                queue.pollFirst();
                deciding = s = head;
                s.frameBase = k;
                s.sampleBase = frameStartSample(k);
                s.firstGlobalFrame = k;
                continue;
            }
            set(k, IDLE, null, 0);
            return;
        }
    }

    private void set(long k, byte kind, Segment s, int j) {
        int slot = (int) (k & (RING - 1));
        decKind[slot] = kind;
        decSeg[slot] = s;
        decJ[slot] = j;
    }

    /** Segment frame j's samples go to sampleBase + [start(j), start(j + 1)): contiguous with frame j - 1's. */
    private void placeAudio(Segment s, int j) {
        long from = s.frameStartSample(j);
        long to = s.frameStartSample(j + 1);
        long globalFrom = s.sampleBase + from;
        long emitted = audioPosition();
        if (globalFrom < emitted) {
            // Cannot happen by construction (a frame is decided before the chunk holding its first sample); if it
            // ever did, those samples would be lost, so say so loudly.
            warn("utterance {} audio placed {} samples into already pushed audio", s.id, emitted - globalFrom);
            from += emitted - globalFrom;
            globalFrom = emitted;
        }
        runs.add(s, globalFrom, s.sampleBase + to, from);
    }

    private void finishDeciding(Segment s, long k) {
        s.doneDeciding = true;
        deciding = null;
        ignoreThrough = later(ignoreThrough, s.id);
        retireTo(s, Long.MAX_VALUE, Long.MAX_VALUE);
        if (s.totalFrames() == 0 && !s.startedFired) {
            // An empty utterance: nothing to show, but the caller still learns it is done.
            s.startedFired = true;
            s.finishedFired = true;
            fireStarted(s, k);
            safe(() -> listener.speechFinished(sessionId, s.id, frameMediaMillis(k, fps), 0));
            fireFailure(s);
            return;
        }
        maybeFinish(s);
    }

    private void maybeFinish(Segment s) {
        if (s.finishedFired || !s.startedFired || !s.ended() || s.framesPushed < s.totalFrames()) {
            return;
        }
        s.finishedFired = true;
        if (onAir == s) {
            onAir = null;
        }
        long last = s.lastPushedGlobalFrame;
        long media = frameMediaMillis(last, fps);
        long duration = frameMediaMillis(last + 1, fps) - frameMediaMillis(s.firstGlobalFrame, fps);
        safe(() -> listener.speechFinished(sessionId, s.id, media, duration));
        fireFailure(s);
    }

    /** An utterance the renderer ended early: the client learns why once what was rendered has played. */
    private void fireFailure(Segment s) {
        if (s.failure.isEmpty()) {
            return;
        }
        int colon = s.failure.indexOf(": ");
        boolean coded = colon > 0 && s.failure.substring(0, colon).matches("[A-Z_]+");
        String code = coded ? s.failure.substring(0, colon) : "UNAVAILABLE";
        String message = coded ? s.failure.substring(colon + 2) : s.failure;
        safe(() -> listener.utteranceFailed(sessionId, s.id, code, message));
    }

    private void fireStarted(Segment s, long k) {
        long media = frameMediaMillis(k, fps);
        safe(() -> listener.speechStarted(sessionId, s.id, media, s.text));
    }

    /** Whether {@code id} is at or before the mark (NONE: nothing is). */
    private static boolean upTo(long id, long mark) {
        return mark != NONE && MediaFormat.isThrough(id, mark);
    }

    private static long later(long mark, long id) {
        return mark == NONE ? id : MediaFormat.laterUtterance(mark, id);
    }

    // ------------------------------------------------------------------ interrupt

    /**
     * Cuts every utterance with id <= {@code through}: audio is silent from the next chunk, video idle from the
     * next frame, queued ones are dropped and their late records ignored.
     */
    InterruptResult interrupt(long through) {
        ignoreThrough = later(ignoreThrough, through);
        if (deciding != null && MediaFormat.isThrough(deciding.id, through)) {
            deciding.doneDeciding = true;
            retireTo(deciding, Long.MAX_VALUE, Long.MAX_VALUE);
            deciding = null;
        }
        for (long k = nextFrame; k < decidedUntil; k++) {
            int slot = (int) (k & (RING - 1));
            if (decSeg[slot] != null && MediaFormat.isThrough(decSeg[slot].id, through)) {
                set(k, IDLE, null, 0);
            }
        }
        runs.cut(audioPosition(), through);
        queue.removeIf(s -> {
            if (MediaFormat.isThrough(s.id, through)) {
                retireTo(s, Long.MAX_VALUE, Long.MAX_VALUE);
                return true;
            }
            return false;
        });
        Segment s = onAir;
        if (s == null || !MediaFormat.isThrough(s.id, through) || s.finishedFired) {
            return InterruptResult.NOTHING_CUT;
        }
        onAir = null;
        s.finishedFired = true;
        long position = s.playedMillis();
        long media = frameMediaMillis(nextFrame, fps);
        safe(() -> listener.interrupted(sessionId, s.id, position, media));
        return new InterruptResult(s.id, position);
    }

    // ------------------------------------------------------------------ intake

    /** One typed record of the session, as decoded (pattern matching over the sealed {@link BusMessage}). */
    void onRecord(BusMessage m) {
        if (m instanceof BusMessage.Video v) {
            onVideo(v);
        } else if (m instanceof BusMessage.Audio a) {
            onAudio(a);
        } else if (m instanceof BusMessage.WordStarted w) {
            Segment s = find(w.utteranceId());
            if (s != null && !s.ended()) {
                s.addWord(w.frame(), w.textOffset(), w.textLength(), w.word());
            }
        } else if (m instanceof BusMessage.SegmentStart s) {
            onSegmentStart(s);
        } else if (m instanceof BusMessage.SegmentEnd e) {
            onSegmentEnd(e);
        } else if (m instanceof BusMessage.IdleBase b) {
            if (!composer.setBase(b)) {
                warn("IDLE_BASE {}x{} ({} bytes), loop frame {} of {} held {}, does not match the session's {}x{}"
                        + " frame or a loop of 1..{} frames held 1..{}", b.width(), b.height(), b.i420().length,
                        b.index(), b.loopLength(), b.hold(), composer.width, composer.height,
                        FrameComposer.MAX_LOOP, FrameComposer.MAX_HOLD);
            }
        } else if (m instanceof BusMessage.IdleOverlay o) {
            if (o.index() == 0 && !composer.setEyesClosed(o)) {
                BusMessage.Region g = o.region();
                warn("IDLE_OVERLAY region {}x{}@{},{} does not fit the {}x{} frame", g.width(), g.height(), g.x(),
                        g.y(), composer.width, composer.height);
            }
        }
    }

    private void onSegmentStart(BusMessage.SegmentStart r) {
        long id = r.utteranceId();
        if (upTo(id, ignoreThrough) || upTo(id, lastStartId)) {
            return; // discarded by an interrupt, or a repeat
        }
        lastStartId = id;
        if (r.sampleRate() != rate || r.channels() != 1 || r.fps() != fps) {
            warn("utterance {} is {} Hz x{} at {} fps but the session plays {} Hz mono at {} fps: dropped", id,
                    r.sampleRate(), r.channels(), r.fps(), rate, fps);
            rejectedId = id;
            return;
        }
        // Records of one session arrive utterance after utterance: a new start means the renderer has given up on
        // whatever it left without SEGMENT_END, so that plays as far as it got.
        if (deciding != null) {
            deciding.cutAtReceived();
        }
        for (Segment q : queue) {
            q.cutAtReceived();
        }
        queue.addLast(new Segment(id, r.text(), rate, fps));
    }

    private void onVideo(BusMessage.Video r) {
        Segment s = find(r.utteranceId());
        long j = r.frame();
        if (s == null || s.ended() || j < 0 || j >= MAX_FRAME_INDEX || !composer.fits(r.region(), r.i420())) {
            if (s != null && !s.ended()) {
                BusMessage.Region g = r.region();
                warn("utterance {} frame {} region {}x{}@{},{} ({} bytes) is not a valid patch of the {}x{} frame",
                        s.id, j, g.width(), g.height(), g.x(), g.y(), r.i420().length, composer.width,
                        composer.height);
            }
            handle.retiredVideoFrames.incrementAndGet();
            return;
        }
        s.acceptedVideoFrames++;
        s.addVideo((int) j, r);
    }

    private void onAudio(BusMessage.Audio r) {
        long samples = r.pcm().length / 2;
        Segment s = find(r.utteranceId());
        if (s == null || s.ended()) {
            handle.retiredAudioSamples.addAndGet(samples);
            return;
        }
        s.acceptedAudioSamples += samples;
        if (!s.addAudio(r.firstSample(), r.pcm())) {
            warn("utterance {} audio at sample {} is out of line with the {} received", s.id, r.firstSample(),
                    s.audioReceived());
        }
    }

    private void onSegmentEnd(BusMessage.SegmentEnd r) {
        Segment s = find(r.utteranceId());
        if (s == null || s.ended()) {
            return;
        }
        s.failure = r.reason().length() > 1000 ? r.reason().substring(0, 1000) : r.reason();
        s.end(Math.max(0, r.totalSamples()), (int) Math.max(0, Math.min(r.totalFrames(), MAX_FRAME_INDEX)));
        maybeFinish(s);
    }

    private Segment find(long id) {
        if (upTo(id, ignoreThrough) || id == rejectedId) {
            return null;
        }
        if (deciding != null && deciding.id == id) {
            return deciding;
        }
        for (Segment s : queue) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ look-ahead accounting

    /** Marks the segment's media up to the given frame and sample as no longer buffered (played or discarded). */
    private void retireTo(Segment s, long frames, long samples) {
        long v = Math.min(frames, s.acceptedVideoFrames) - s.retiredVideoFrames;
        if (v > 0) {
            s.retiredVideoFrames += v;
            handle.retiredVideoFrames.addAndGet(v);
        }
        long a = Math.min(samples, s.acceptedAudioSamples) - s.retiredAudioSamples;
        if (a > 0) {
            s.retiredAudioSamples += a;
            handle.retiredAudioSamples.addAndGet(a);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void safe(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            warn("schedule listener failed: {}", e.toString());
        }
    }

    /** Malformed input must not flood the log: the first few, then one in a thousand. */
    private void warn(String format, Object... args) {
        long n = ++warnings;
        if (n <= 10 || n % 1000 == 0) {
            log.warn("[" + sessionId + "] " + format, args);
        }
    }
}
