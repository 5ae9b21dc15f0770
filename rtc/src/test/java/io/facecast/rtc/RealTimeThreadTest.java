package io.facecast.rtc;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real thread of this JVM moved into SCHED_FIFO, read back from the kernel (/proc and sched_getscheduler). */
class RealTimeThreadTest {
    @Test
    void theCallingThreadRunsFifoAndTheThreadsItStartsDoNot() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/thread-self")), "Linux only");
        AtomicReference<String> refused = new AtomicReference<>();
        AtomicInteger policy = new AtomicInteger(-2);
        AtomicInteger rtPriority = new AtomicInteger(-2);
        AtomicInteger childPolicy = new AtomicInteger(-2);
        AtomicInteger otherPolicy = new AtomicInteger(-2);
        Thread t = new Thread(() -> {
            refused.set(RealTimeThread.enter(3));
            if (refused.get() != null) {
                return;
            }
            policy.set(RealTimeThread.policy());
            rtPriority.set(rtPriorityOfThisThread());
            Thread child = new Thread(() -> childPolicy.set(RealTimeThread.policy()), "started-by-fifo");
            child.start();
            join(child);
        }, "fifo-test");
        t.start();
        t.join();
        Thread other = new Thread(() -> otherPolicy.set(RealTimeThread.policy()), "ordinary");
        other.start();
        other.join();

        assumeTrue(refused.get() == null, "no CAP_SYS_NICE or rtprio limit here: " + refused.get());
        assertEquals(RealTimeThread.SCHED_FIFO | RealTimeThread.SCHED_RESET_ON_FORK, policy.get());
        assertEquals(3, rtPriority.get(), "the kernel's own view of the thread (/proc/thread-self/stat)");
        assertEquals(RealTimeThread.SCHED_OTHER, childPolicy.get(), "a thread it starts is ordinary (reset on fork)");
        assertEquals(RealTimeThread.SCHED_OTHER, otherPolicy.get(), "other threads are not touched");
    }

    @Test
    void aPriorityOutsideTheRealTimeRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RealTimeThread.enter(0));
        assertThrows(IllegalArgumentException.class, () -> RealTimeThread.enter(RealTimeThread.MAX_PRIORITY + 1));
    }

    /** Field 40 of /proc/thread-self/stat (rt_priority), counted after the command's closing parenthesis. */
    private static int rtPriorityOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[40 - 3]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
