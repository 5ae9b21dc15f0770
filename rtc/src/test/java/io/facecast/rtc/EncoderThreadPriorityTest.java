package io.facecast.rtc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real threads of this JVM, found by name in /proc/self/task as the streamer finds libwebrtc's encoders. */
class EncoderThreadPriorityTest {
    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void lowersEachEncoderThreadOnceAndNoOtherThread() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "Linux /proc only");
        CountDownLatch done = new CountDownLatch(1);
        Thread encoder = parked(EncoderThreadPriority.ENCODER_THREAD, done);
        Thread other = parked("AudioEncoder", done);
        try {
            String encoderTid = tidNamed(EncoderThreadPriority.ENCODER_THREAD);
            String otherTid = tidNamed("AudioEncoder");
            assertEquals(0, nice(encoderTid));

            EncoderThreadPriority priority = new EncoderThreadPriority(7);
            // at least ours: libwebrtc encoder threads of an earlier test in this JVM may still be alive
            assertTrue(priority.apply() >= 1, "the encoder thread is lowered");
            assertEquals(7, nice(encoderTid));
            assertEquals(0, nice(otherTid), "other threads keep the process's priority");
            assertEquals(0, nice(selfTid()), "and so does the caller");
            assertEquals(0, priority.apply(), "a thread already lowered is not looked at again");

            Thread second = parked(EncoderThreadPriority.ENCODER_THREAD, done);
            assertEquals(1, priority.apply(), "an encoder thread that appears later is lowered at the next call");
            assertTrue(priority.lowered() >= 2);
            second.interrupt();
        } finally {
            done.countDown();
            encoder.join();
            other.join();
        }
    }

    @Test
    void aThreadNamedAfterTheFirstScanIsStillLowered() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "Linux /proc only");
        CountDownLatch started = new CountDownLatch(1), renamed = new CountDownLatch(1), rename = new CountDownLatch(1),
                done = new CountDownLatch(1);
        Thread late = new Thread(() -> {
            try {
                started.countDown(); // HotSpot names the native thread as it starts running: look it up after this
                rename.await();
                Thread.currentThread().setName(EncoderThreadPriority.ENCODER_THREAD); // as libwebrtc names its own
                renamed.countDown();
                done.await();
            } catch (InterruptedException ignored) {
                // ended by the test
            }
        }, "not-yet-named");
        late.start();
        try {
            started.await();
            String tid = tidNamed("not-yet-named");
            EncoderThreadPriority priority = new EncoderThreadPriority(9);
            priority.apply();
            assertEquals(0, nice(tid), "not an encoder yet");
            rename.countDown();
            renamed.await();
            priority.apply();
            assertEquals(9, nice(tid), "named on the next scan, lowered then");
        } finally {
            rename.countDown();
            done.countDown();
            late.join();
        }
    }

    @Test
    void zeroLeavesTheThreadsAlone() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "Linux /proc only");
        CountDownLatch done = new CountDownLatch(1);
        Thread encoder = parked(EncoderThreadPriority.ENCODER_THREAD, done);
        try {
            assertEquals(0, new EncoderThreadPriority(0).apply());
            assertEquals(0, nice(tidNamed(EncoderThreadPriority.ENCODER_THREAD)));
        } finally {
            done.countDown();
            encoder.join();
        }
    }

    @Test
    void aNiceValueOutsideZeroToNineteenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EncoderThreadPriority(-1));
        assertThrows(IllegalArgumentException.class, () -> new EncoderThreadPriority(20));
        assertThrows(IllegalArgumentException.class, () -> SenderOptions.defaults().withVideoEncoderNice(20));
    }

    @Test
    void withoutProcItDoesNothing(@org.junit.jupiter.api.io.TempDir Path empty) {
        EncoderThreadPriority priority = new EncoderThreadPriority(10, empty.resolve("missing"));
        assertEquals(0, priority.apply());
        assertEquals(0, priority.apply(), "and stays off");
    }

    private static Thread parked(String name, CountDownLatch done) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                // a thread the test ends early
            }
        }, name);
        t.start();
        started.await();
        return t;
    }

    /** The newest live thread of that name (HotSpot gives Java threads their name as the native name). */
    private static String tidNamed(String name) throws IOException {
        try (Stream<Path> threads = Files.list(TASKS)) {
            return threads.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name)
                            && nice(t.getFileName().toString()) == 0;
                } catch (IOException e) {
                    return false;
                }
            }).map(t -> t.getFileName().toString()).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no thread named " + name));
        }
    }

    private static String selfTid() throws IOException {
        return Path.of("/proc/thread-self").toRealPath().getFileName().toString();
    }

    /** Field 19 of /proc/self/task/TID/stat (after the parenthesized name). */
    private static int nice(String tid) throws IOException {
        String stat = Files.readString(TASKS.resolve(tid).resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
