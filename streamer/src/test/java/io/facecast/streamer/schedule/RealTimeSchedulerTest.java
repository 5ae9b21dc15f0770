package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real thread on the real clock: it runs, wakes for control calls, never pushes early, stops. */
class RealTimeSchedulerTest {

    @Test
    void theSchedulerThreadPacesSpeaksAndInterruptsOnRealTime() throws Exception {
        StreamerScheduler scheduler = StreamerScheduler.realTime(SchedulerConfig.defaults());
        scheduler.start();
        try {
            assertThrows(IllegalStateException.class, () -> scheduler.runUntil(0), "no stepping a running thread");
            CountDownLatch frames = new CountDownLatch(15);
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger chunks = new AtomicInteger();
            String id = "rt";
            scheduler.open(SessionSpec.of(id, Media.W, Media.H, 30), new MediaSink() {
                @Override
                public void pushVideo(byte[] i420, int width, int height) {
                    frames.countDown();
                }

                @Override
                public void pushAudio(byte[] pcm, int sampleRate, int channels) {
                    chunks.incrementAndGet();
                }
            }, new ScheduleListener() {
                @Override
                public void speechStarted(String sessionId, long utteranceId, long mediaTimeMs, String text) {
                    started.countDown();
                }
            });
            for (BusMessage r : Media.idle(id, 30)) {
                scheduler.accept(r);
            }
            for (BusMessage r : Media.Utterance.ofMillis(id, 1, 48_000, 30, 5_000).all()) {
                scheduler.accept(r);
            }
            assertTrue(frames.await(10, TimeUnit.SECONDS), "15 frames within 10 s");
            assertTrue(started.await(10, TimeUnit.SECONDS), "speech started");
            InterruptResult cut = scheduler.interrupt(id, 1).get(10, TimeUnit.SECONDS);
            assertEquals(1, cut.utteranceId());
            SessionStats st = scheduler.stats(id);
            assertTrue(st.videoFramesPushed() >= 15);
            assertTrue(chunks.get() >= 40, "audio chunks flow alongside: " + chunks.get());
            assertTrue(st.pacingP50Us() >= 0, "nothing is ever pushed before its due time");
            assertEquals(0, scheduler.bufferedMillis(id));
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void theThreadSetupRunsOnTheSchedulerThreadBeforeItPaces() throws Exception {
        java.util.concurrent.CompletableFuture<String> ranOn = new java.util.concurrent.CompletableFuture<>();
        StreamerScheduler scheduler = StreamerScheduler.realTime(SchedulerConfig.defaults())
                .onThreadStart(() -> ranOn.complete(Thread.currentThread().getName()));
        assertTrue(!ranOn.isDone(), "not before start");
        scheduler.start();
        try {
            assertEquals("facecast-av-scheduler", ranOn.get(10, TimeUnit.SECONDS));
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void theRealTimePriorityIsCheckedAndKeptByEveryCopy() {
        assertEquals(SchedulerConfig.DEFAULT_REAL_TIME_PRIORITY, SchedulerConfig.defaults().realTimePriority());
        SchedulerConfig c = SchedulerConfig.defaults().withRealTimePriority(0).withTestAudioDelayMillis(40);
        SchedulerConfig copy = c.withStartLeadMillis(200).withMaxLookAheadMillis(900).withMaxStallMillis(1000)
                .withPacingWindow(16);
        assertEquals(0, copy.realTimePriority());
        assertEquals(40, copy.testAudioDelayMillis(), "a copy keeps the fields it does not change");
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.defaults().withRealTimePriority(100));
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.defaults().withRealTimePriority(-1));
    }
}
