package io.facecast.rtc;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Moves the calling thread into Linux's real-time class ({@code SCHED_FIFO}) at a low real-time priority.
 *
 * <p>Why: a nice value only weighs a thread's share of the CPU; a thread that wakes on time may still wait in the run
 * queue behind others until the fair scheduler gives it a turn. At 12 sessions on two cores the streamer's pacing
 * thread, at nice −5, pushed 6.8 % of its audio chunks more than 20 ms after their due time while its pushes
 * themselves stayed short (17 of 37,533 over 5 ms): it was waiting for a core, not working (docs/performance.md,
 * rule 3). A {@code SCHED_FIFO} thread runs as soon as it wakes, ahead of every ordinary thread; with it the same run
 * had no push over 20 ms late. The pacing thread can have this because it is cheap (under 1 % of a core per session)
 * and never spins: it parks until the next due time. The kernel still keeps 5 % of each second for ordinary threads
 * ({@code /proc/sys/kernel/sched_rt_runtime_us}).
 *
 * <p>{@code SCHED_RESET_ON_FORK} is set with it: a thread this one starts (libwebrtc may start its own threads from
 * inside a push) begins as an ordinary thread instead of inheriting the real-time class.
 *
 * <p>It needs {@code CAP_SYS_NICE} (root has it) or an {@code RLIMIT_RTPRIO} of at least the priority
 * ({@code ulimit -r}, {@code docker run --ulimit rtprio=N} or {@code --cap-add SYS_NICE}); without either the
 * thread keeps its policy and {@link #enter} says why.
 */
public final class RealTimeThread {
    public static final int MAX_PRIORITY = 99;
    static final int SCHED_OTHER = 0;
    static final int SCHED_FIFO = 1;
    static final int SCHED_RESET_ON_FORK = 0x40000000;
    private static final int EPERM = 1;

    private interface LibC extends Library {
        /** {@code param} points at a {@code struct sched_param}, whose one field is the int priority. */
        int sched_setscheduler(int pid, int policy, int[] param);

        int sched_getscheduler(int pid);
    }

    private static volatile LibC libc;

    private RealTimeThread() {}

    /**
     * Puts the calling thread in {@code SCHED_FIFO} at {@code priority} (1 to {@value #MAX_PRIORITY}).
     *
     * @return null when it now runs there; otherwise why it could not (it then keeps the policy it had)
     */
    public static String enter(int priority) {
        if (priority < 1 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("a real-time priority is 1 to " + MAX_PRIORITY + ", not " + priority);
        }
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "real-time threads are only set on Linux";
        }
        try {
            if (libc().sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, new int[] {priority}) == 0) {
                return null;
            }
            int errno = Native.getLastError();
            return errno == EPERM
                    ? "sched_setscheduler(SCHED_FIFO, " + priority + ") was refused: it needs CAP_SYS_NICE or an"
                            + " rtprio limit of at least " + priority + " (ulimit -r; docs/performance.md)"
                    : "sched_setscheduler(SCHED_FIFO, " + priority + ") failed with errno " + errno;
        } catch (LinkageError | RuntimeException e) {
            return "no native sched_setscheduler: " + e;
        }
    }

    /** The calling thread's policy ({@code SCHED_*}, with {@link #SCHED_RESET_ON_FORK} where set); -1 if unknown. */
    static int policy() {
        try {
            return libc().sched_getscheduler(0);
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
    }

    private static LibC libc() {
        LibC l = libc;
        if (l == null) {
            l = Native.load("c", LibC.class);
            libc = l;
        }
        return l;
    }
}
