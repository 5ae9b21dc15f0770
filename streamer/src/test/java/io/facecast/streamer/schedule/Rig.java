package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;

import java.util.List;

/** A scheduler on a virtual clock with one recorded session: the whole pipeline, no thread, no real time. */
final class Rig {
    static final long MS = 1_000_000L;
    static final long START = 5_000 * MS; // a non-zero origin: nothing may assume the clock starts at 0

    final VirtualClock clock = new VirtualClock(START);
    final StreamerScheduler scheduler;
    final RecordingSink sink = new RecordingSink(clock);
    final RecordingListener listener = new RecordingListener();
    final String session;
    final int fps;
    final int rate;
    final long t0;

    Rig(int fps) {
        this(fps, 48_000, SchedulerConfig.defaults());
    }

    Rig(int fps, int rate, SchedulerConfig config) {
        this.scheduler = StreamerScheduler.virtual(clock, config);
        this.session = "s-" + fps + "-" + rate;
        this.fps = fps;
        this.rate = rate;
        this.t0 = clock.nanoTime();
        scheduler.open(new SessionSpec(session, Media.W, Media.H, fps, rate, 42), sink, listener);
    }

    Rig withIdle() {
        feed(Media.idle(session, fps));
        return this;
    }

    Media.Utterance utterance(long id, long millis) {
        return Media.Utterance.ofMillis(session, id, rate, fps, millis);
    }

    void feed(List<? extends BusMessage> records) {
        for (BusMessage r : records) {
            if (!scheduler.accept(r)) {
                throw new AssertionError("not routed: " + r);
            }
        }
    }

    /** Runs until {@code ms} after the session origin. */
    void runTo(long ms) {
        scheduler.runUntil(t0 + ms * MS);
    }

    long videoDue(long k) {
        return t0 + k * 1_000_000_000L / fps;
    }

    long audioDue(long n) {
        return t0 + n * 10 * MS;
    }

    long frameStart(long k) {
        return k * rate / fps;
    }

    /** Video frame on air at global sample g (the last frame starting at or before it). */
    long frameAtSample(long g) {
        long k = g * fps / rate;
        while (frameStart(k + 1) <= g) {
            k++;
        }
        while (frameStart(k) > g) {
            k--;
        }
        return k;
    }
}
