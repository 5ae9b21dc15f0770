package io.facecast.rtc;

import dev.onvoid.webrtc.internal.NativeObject;
import dev.onvoid.webrtc.media.SyncClock;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a webrtc-java {@link SyncClock} count on libwebrtc's own time base, so that RTCP sender reports map RTP time
 * to wall-clock time correctly on a host that has been up for hours.
 *
 * <p>Why: webrtc-java's SyncClock (0.14, unchanged in 0.15) stamps every pushed frame and audio chunk with the time
 * since the clock was created, while libwebrtc's RTCP sender extrapolates a report's RTP time from the last capture
 * time to its own clock, CLOCK_MONOTONIC (time since boot). Every report's RTP time is therefore ahead of the
 * stream by the host's uptime at the clock's creation, times the clock rate, modulo 2^32. Once that passes 2^31
 * ticks (90 kHz video: 6.63 h of uptime; 48 kHz audio: 12.4 h) the report reads as older than the stream:
 * GStreamer drops it ("older than base time") and never lip-syncs, and a libwebrtc receiver sees audio and video
 * offset by different amounts and gives up syncing them. Every production host is up that long.
 *
 * <p>How: the native {@code jni::SyncClock} behind the handle is one {@code std::chrono::steady_clock::time_point}
 * (nanoseconds of CLOCK_MONOTONIC, no vtable). Setting it to the clock's epoch makes its timestamps
 * CLOCK_MONOTONIC, libwebrtc's base, and the reports exact. The write is guarded both ways: it happens only when
 * that word holds the creation instant (within a second of {@link System#nanoTime()}, also CLOCK_MONOTONIC), and
 * afterwards the clock must read {@code System.nanoTime()}; otherwise the word is restored, one warning names the
 * problem, and the clock keeps webrtc-java's behaviour.
 */
public final class MonotonicSyncClock {
    private static final Logger log = LoggerFactory.getLogger(MonotonicSyncClock.class);
    private static final long PLAUSIBLE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long AGREE_US = TimeUnit.MILLISECONDS.toMicros(50);
    private static final AtomicBoolean warned = new AtomicBoolean();
    private static final NativeMemory memory = NativeMemory.open();

    private MonotonicSyncClock() {
    }

    /** A new clock on CLOCK_MONOTONIC, or webrtc-java's own if this build's layout is not the one described above. */
    public static SyncClock create() {
        long before = System.nanoTime();
        SyncClock clock = new SyncClock();
        long after = System.nanoTime();
        String problem = align(clock, before, after);
        if (problem != null && warned.compareAndSet(false, true)) {
            log.warn("sender reports keep webrtc-java's clock offset ({}); GStreamer receivers will not lip-sync on a "
                    + "host up for more than 6.6 h", problem);
        }
        return clock;
    }

    /** Null when aligned; otherwise why not, with the clock as it was. */
    private static String align(SyncClock clock, long createdAfter, long createdBefore) {
        if (memory == null) {
            return "no access to native memory";
        }
        long address = memory.handle(clock);
        if (address == 0) {
            return "the clock has no native handle";
        }
        long start = memory.unsafe.getLong(address);
        if (start < createdAfter - PLAUSIBLE_NS || start > createdBefore + PLAUSIBLE_NS) {
            return "its native start word holds " + start + ", not a recent CLOCK_MONOTONIC instant";
        }
        memory.unsafe.putLong(address, 0L);
        long drift = clock.getTimestampUs() - System.nanoTime() / 1000;
        if (Math.abs(drift) > AGREE_US) {
            memory.unsafe.putLong(address, start);
            return "after aligning it read " + drift + " us off CLOCK_MONOTONIC";
        }
        return null;
    }

    /** sun.misc.Unsafe and webrtc-java's handle field, or null where either is out of reach. */
    private static final class NativeMemory {
        final sun.misc.Unsafe unsafe;
        final Field handle;

        private NativeMemory(sun.misc.Unsafe unsafe, Field handle) {
            this.unsafe = unsafe;
            this.handle = handle;
        }

        static NativeMemory open() {
            try {
                Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                Field handle = NativeObject.class.getDeclaredField("nativeHandle");
                handle.setAccessible(true);
                return new NativeMemory((sun.misc.Unsafe) theUnsafe.get(null), handle);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("native memory out of reach", e);
                return null;
            }
        }

        long handle(SyncClock clock) {
            try {
                return handle.getLong(clock);
            } catch (IllegalAccessException e) {
                return 0;
            }
        }
    }
}
