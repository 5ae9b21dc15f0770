package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.facecast.streamer.schedule.Rig.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacingTest {

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 30})
    void everyPushIsAtItsDueTimeAndTenSecondsHoldExactCounts(int fps) {
        Rig rig = new Rig(fps).withIdle();
        rig.runTo(2_000);
        rig.feed(rig.utterance(1, 3_000).all()); // speech in the middle: composing must not disturb pacing
        rig.runTo(10_000);

        RecordingSink s = rig.sink;
        assertEquals(10 * fps + 1, s.videoCount, "frames 0.." + 10 * fps + " are due within [T0, T0+10s]");
        assertEquals(1001, s.audioChunks);
        for (int k = 0; k < s.videoCount; k++) {
            assertEquals(rig.videoDue(k), s.videoTimes[k], "frame " + k);
        }
        for (int n = 0; n < s.audioChunks; n++) {
            assertEquals(rig.audioDue(n), s.audioTimes[n], "chunk " + n);
        }
        assertEquals(0, s.badAudioSizes, "every chunk is exactly 10 ms");
        assertEquals(0, s.badFrames);
        SessionStats st = rig.scheduler.stats(rig.session);
        assertEquals(10 * fps + 1, st.videoFramesPushed());
        assertEquals(1001, st.audioChunksPushed());
        assertEquals(0, st.pacingMaxUs());
        assertEquals(fps, st.deliveredFps(), 1e-9, "frames in (now-1s, now]");
        assertEquals(0, st.stalls());
    }

    @Test
    void anHourAt30FpsHasNoDrift() {
        VirtualClock clock = new VirtualClock(123_456_789L);
        StreamerScheduler scheduler = StreamerScheduler.virtual(clock, SchedulerConfig.defaults());
        long[] last = new long[2];
        long[] counts = new long[2];
        long[] worst = new long[1];
        long t0 = clock.nanoTime();
        scheduler.open(new SessionSpec("hour", Media.W, Media.H, 30, 48_000, 7), new MediaSink() {
            @Override
            public void pushVideo(byte[] i420, int width, int height) {
                long due = t0 + counts[0] * 1_000_000_000L / 30;
                worst[0] = Math.max(worst[0], Math.abs(clock.nanoTime() - due));
                last[0] = clock.nanoTime();
                counts[0]++;
            }

            @Override
            public void pushAudio(byte[] pcm, int sampleRate, int channels) {
                long due = t0 + counts[1] * 10 * MS;
                worst[0] = Math.max(worst[0], Math.abs(clock.nanoTime() - due));
                last[1] = clock.nanoTime();
                counts[1]++;
            }
        }, ScheduleListener.NONE);
        for (BusMessage r : Media.idle("hour", 30)) {
            scheduler.accept(r);
        }
        for (int minute = 0; minute < 60; minute++) {
            Media.Utterance u = Media.Utterance.ofMillis("hour", minute + 1, 48_000, 30, 2_000);
            for (BusMessage r : u.all()) {
                scheduler.accept(r);
            }
            scheduler.runUntil(t0 + (minute + 1) * 60_000L * MS);
        }
        long frames = 3600L * 30 + 1;
        assertEquals(frames, counts[0]);
        assertEquals(360_001, counts[1]);
        assertEquals(t0 + (frames - 1) * 1_000_000_000L / 30, last[0], "last frame due exactly T0 + floor(k*1e9/30)");
        assertEquals(t0 + 3600L * 1_000_000_000L, last[1]);
        assertEquals(0, worst[0], "no push off its due time in an hour");
        SessionStats st = scheduler.stats("hour");
        assertEquals(3_600_033, st.mediaTimeMs(), "next frame 108001 at floor(108001*1000/30) ms");
        assertEquals(0, st.stalls());
    }

    @Test
    void idleBlinksInRunsOfFourFramesThreeToFiveSecondsApartWithAStillMouth() {
        for (int fps : new int[] {24, 25, 30}) {
            Rig rig = new Rig(fps).withIdle();
            rig.runTo(60_000);
            RecordingSink s = rig.sink;
            List<Integer> blinkStarts = new ArrayList<>();
            for (int k = 1; k < s.videoCount; k++) { // frame 0 went out before the idle material was drained
                assertEquals(Media.BASE_LUMA, s.mouthLuma[k], "mouth constant while idle, frame " + k);
                boolean closed = s.eyesLuma[k] == Media.EYES_LUMA;
                assertTrue(closed || s.eyesLuma[k] == Media.BASE_LUMA, "eyes open or closed, frame " + k);
                if (closed && (k == 1 || s.eyesLuma[k - 1] != Media.EYES_LUMA)) {
                    blinkStarts.add(k);
                    for (int b = 0; b < BlinkSchedule.BLINK_FRAMES; b++) {
                        assertEquals(Media.EYES_LUMA, s.eyesLuma[k + b], "a blink lasts 4 frames");
                    }
                    assertEquals(Media.BASE_LUMA, s.eyesLuma[k + BlinkSchedule.BLINK_FRAMES]);
                }
            }
            assertTrue(blinkStarts.size() >= 12, fps + " fps: one blink per 3-5 s over a minute, got " + blinkStarts);
            for (int i = 1; i < blinkStarts.size(); i++) {
                int gap = blinkStarts.get(i) - blinkStarts.get(i - 1);
                assertTrue(gap >= 3 * fps && gap <= 5 * fps, "blink gap " + gap + " frames at " + fps + " fps");
            }
            for (int n = 0; n < s.audioSamples; n++) {
                assertEquals(0, s.audio[n], "idle audio is silence");
            }
        }
    }

    @Test
    void blinkingDependsOnlyOnFrameIndexAndSeed() {
        BlinkSchedule a = new BlinkSchedule(42, 30);
        BlinkSchedule sameSeed = new BlinkSchedule(42, 30);
        BlinkSchedule otherSeed = new BlinkSchedule(43, 30);
        boolean differs = false;
        for (long k = 0; k < 30 * 120; k++) {
            assertEquals(a.eyesClosed(k), sameSeed.eyesClosed(k));
            differs |= a.eyesClosed(k) != otherSeed.eyesClosed(k);
        }
        assertTrue(differs, "sessions with different seeds do not blink in unison");
    }

    @Test
    void midGreyUntilTheIdleBaseArrivesNeverBlack() {
        Rig rig = new Rig(25);
        rig.runTo(200);
        assertEquals(6, rig.sink.videoCount);
        for (int k = 0; k < rig.sink.videoCount; k++) {
            assertEquals(Media.GREY, rig.sink.meanLuma[k], "frame " + k + " is mid-grey");
        }
        rig.withIdle();
        rig.runTo(400);
        assertEquals(Media.BASE_LUMA, rig.sink.mouthLuma[rig.sink.videoCount - 1]);
    }

    @Test
    void closedSessionGetsNoMorePushes() {
        Rig rig = new Rig(30).withIdle();
        rig.runTo(1_000);
        int frames = rig.sink.videoCount;
        int chunks = rig.sink.audioChunks;
        assertTrue(rig.scheduler.close(rig.session));
        assertFalse(rig.scheduler.accept(rig.utterance(1, 500).start()), "records of a closed session are dropped");
        rig.runTo(5_000);
        assertEquals(frames, rig.sink.videoCount);
        assertEquals(chunks, rig.sink.audioChunks);
        assertThrows(UnknownSessionException.class, () -> rig.scheduler.stats(rig.session));
        assertThrows(UnknownSessionException.class, () -> rig.scheduler.interrupt(rig.session, 1));
        assertFalse(rig.scheduler.close(rig.session));
    }

    @Test
    void sessionsOpenedAtDifferentTimesEachKeepTheirOwnTimeline() {
        VirtualClock clock = new VirtualClock();
        StreamerScheduler scheduler = StreamerScheduler.virtual(clock, SchedulerConfig.defaults());
        RecordingSink a = new RecordingSink(clock);
        RecordingSink b = new RecordingSink(clock);
        scheduler.open(SessionSpec.of("a", Media.W, Media.H, 30), a, ScheduleListener.NONE);
        scheduler.runUntil(7 * MS);
        long t0b = clock.nanoTime();
        scheduler.open(SessionSpec.of("b", Media.W, Media.H, 24), b, ScheduleListener.NONE);
        scheduler.runUntil(2_000 * MS);
        for (int k = 0; k < a.videoCount; k++) {
            assertEquals(k * 1_000_000_000L / 30, a.videoTimes[k]);
        }
        for (int k = 0; k < b.videoCount; k++) {
            assertEquals(t0b + k * 1_000_000_000L / 24, b.videoTimes[k]);
        }
        for (int n = 0; n < b.audioChunks; n++) {
            assertEquals(t0b + n * 10 * MS, b.audioTimes[n]);
        }
        assertThrows(IllegalStateException.class,
                () -> scheduler.open(SessionSpec.of("a", Media.W, Media.H, 30), a, ScheduleListener.NONE));
    }

    @Test
    void specRejectsWhatTheTimelineCannotPlay() {
        assertThrows(IllegalArgumentException.class, () -> SessionSpec.of("x", 64, 48, 60));
        assertThrows(IllegalArgumentException.class, () -> SessionSpec.of("x", 63, 48, 30));
        assertThrows(IllegalArgumentException.class, () -> new SessionSpec("x", 64, 48, 30, 44_100, 0));
    }
}
