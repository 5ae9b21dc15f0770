package io.facecast.rtc;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs libwebrtc's video encoder threads at a higher nice value (a lower CPU priority) than the rest of the process.
 *
 * <p>Why: on a busy node the video encoders ({@value #ENCODER_THREAD}, one per session, ~3.6 % of a core each at
 * 512×512@30) are most of the runnable threads, and the audio path (the pacing thread's push, libwebrtc's audio
 * encoder queue, its pacer and network threads, all at nice 0) waited behind them in the run queue: the wire's audio
 * inter-packet p99 grew with the session count (docs/performance.md). A frame encoded a few ms later is absorbed by
 * the receiver's jitter buffer; an audio packet late by as much is heard. Encoders at a higher nice value still get
 * every cycle nobody else wants, so video keeps its rate while the machine has CPU to spare.
 *
 * <p>Raising a nice value needs no privilege (lowering it would), so this works for an ordinary user. Linux keeps nice
 * per thread ({@code setpriority(PRIO_PROCESS, tid, n)}); elsewhere, or without {@code /proc}, it does nothing. The
 * threads belong to libwebrtc, which names them but offers no priority setting through webrtc-java, so they are found
 * by name in {@code /proc/self/task}. Not thread-safe: call {@link #apply} from one thread (the streamer's stats
 * timer).
 */
public final class EncoderThreadPriority {
    private static final Logger log = LoggerFactory.getLogger(EncoderThreadPriority.class);
    /** The name libwebrtc gives each video send stream's encoder task queue thread (as /proc shows it: 15 chars). */
    public static final String ENCODER_THREAD = "EncoderQueue";
    public static final int MAX_NICE = 19;
    private static final int PRIO_PROCESS = 0;

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);
    }

    private final int nice;
    private final Path tasks;
    /** Threads settled: lowered encoders, and threads of another name on two scans running, so each is read twice. */
    private final Set<String> seen = new HashSet<>();
    /** Threads of another name on the last scan only: a new thread may not have been named yet. */
    private Set<String> newcomers = new HashSet<>();
    private LibC libc;
    private boolean disabled;
    private long lowered;

    /** @param nice the encoders' nice value, 1 to {@value #MAX_NICE}; 0 leaves them as they are */
    public EncoderThreadPriority(int nice) {
        this(nice, Path.of("/proc/self/task"));
    }

    EncoderThreadPriority(int nice, Path tasks) {
        if (nice < 0 || nice > MAX_NICE) {
            throw new IllegalArgumentException("the video encoders' nice value must be 0 to " + MAX_NICE + ", not "
                    + nice);
        }
        this.nice = nice;
        this.tasks = tasks;
        this.disabled = nice == 0;
    }

    /** Lowers the encoder threads that appeared since the last call; returns how many it lowered now. */
    public int apply() {
        if (disabled) {
            return 0;
        }
        Set<String> live = new HashSet<>();
        Set<String> unnamed = new HashSet<>();
        int now = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                String tid = thread.getFileName().toString();
                live.add(tid);
                if (seen.contains(tid)) {
                    continue;
                }
                if (isEncoder(thread)) {
                    seen.add(tid);
                    if (lower(Integer.parseInt(tid))) {
                        now++;
                    }
                } else if (newcomers.contains(tid)) {
                    seen.add(tid);
                } else {
                    unnamed.add(tid);
                }
            }
        } catch (IOException | RuntimeException e) {
            disable("cannot list " + tasks + ": " + e);
            return now;
        }
        seen.retainAll(live);
        newcomers = unnamed;
        if (now > 0 && lowered == 0) {
            log.info("libwebrtc's video encoder threads run at nice {}, below the audio path (docs/performance.md)",
                    nice);
        }
        lowered += now;
        return now;
    }

    /** Encoder threads lowered since start. */
    public long lowered() {
        return lowered;
    }

    private static boolean isEncoder(Path thread) {
        try {
            return Files.readString(thread.resolve("comm")).strip().equals(ENCODER_THREAD);
        } catch (IOException e) {
            return false; // the thread ended meanwhile
        }
    }

    private boolean lower(int tid) {
        try {
            if (libc == null) {
                libc = Native.load("c", LibC.class);
            }
            if (libc.setpriority(PRIO_PROCESS, tid, nice) == 0) {
                return true;
            }
            int errno = Native.getLastError();
            if (errno != 3) { // ESRCH: the thread ended meanwhile
                disable("setpriority(" + tid + ", " + nice + ") failed with errno " + errno);
            }
            return false;
        } catch (LinkageError | RuntimeException e) {
            disable("no native setpriority: " + e);
            return false;
        }
    }

    private void disable(String why) {
        if (!disabled) {
            disabled = true;
            log.warn("video encoder threads keep the process's priority: {}", why);
        }
    }
}
