package io.facecast.bus;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;

import java.nio.file.Path;

/**
 * Opens the Chronicle Queue that carries one streamer's media. Each streamer tails its own queue directory (under
 * one bus root shared with the renderer), so retention only has to respect one reader.
 */
public final class MediaBus {
    /** Minute cycles: consumed media leaves the directory within a minute or two. */
    public static final RollCycle DEFAULT_ROLL_CYCLE = LegacyRollCycles.MINUTELY;
    /** Must be at least 4x the largest record (a full 1920x1080 I420 frame is ~3 MiB). */
    public static final long BLOCK_SIZE = 64L << 20;

    static {
        // Belt and braces: the analytics artifact is excluded from the build, and this keeps it off if it is not.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    private MediaBus() {}

    public static SingleChronicleQueue openForAppend(Path dir) {
        return builder(dir, DEFAULT_ROLL_CYCLE).build();
    }

    public static SingleChronicleQueue openForAppend(Path dir, RollCycle rollCycle) {
        return builder(dir, rollCycle).build();
    }

    public static SingleChronicleQueue openForTail(Path dir, RollCycle rollCycle, StoreFileListener listener) {
        return builder(dir, rollCycle).storeFileListener(listener).build();
    }

    private static SingleChronicleQueueBuilder builder(Path dir, RollCycle rollCycle) {
        return SingleChronicleQueueBuilder.binary(dir.toFile())
                .rollCycle(rollCycle)
                .blockSize(BLOCK_SIZE);
    }
}
