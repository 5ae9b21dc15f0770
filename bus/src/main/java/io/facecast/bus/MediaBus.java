package io.facecast.bus;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bus's layout on disk and how its Chronicle Queues are opened.
 *
 * <p>Layout: each streamer has a directory {@code <bus-root>/<streamer-id>}; in it, each session it hosts has its own
 * queue {@code <bus-root>/<streamer-id>/<session-id>} ({@link #sessionQueue}), written by the renderer and read by
 * that session's one reader in the streamer, which deletes what it has read and the whole queue when the session
 * closes. So reading a session touches only its own records (ingest work is O(records), not O(sessions x records)),
 * retention needs no agreement between readers, and a closed session leaves nothing behind. Playback reports go
 * the other way in {@code <bus-root>/<streamer-id>.feedback} ({@link PlaybackFeedback}).
 */
public final class MediaBus {
    /** Ten-second cycles: see {@link BusRollCycle} for what that bounds. */
    public static final RollCycle DEFAULT_ROLL_CYCLE = BusRollCycle.TEN_SECONDLY;
    /** Must be at least 4x the largest record (a full 1920x1080 I420 frame is ~3 MiB). */
    public static final long BLOCK_SIZE = 64L << 20;
    /** Session ids name directories: letters, digits, '.', '_', '-', at most 128, not only dots. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    static {
        // Belt and braces: the analytics artifact is excluded from the build, and this keeps it off if it is not.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    private MediaBus() {}

    /**
     * The queue of {@code sessionId} in the streamer directory {@code streamerDir}.
     *
     * @throws IllegalArgumentException when the id cannot be a single directory name (see {@link #isSafeSessionId})
     */
    public static Path sessionQueue(Path streamerDir, String sessionId) {
        if (!isSafeSessionId(sessionId)) {
            throw new IllegalArgumentException("session id '" + sessionId + "' cannot name a bus queue: use 1-128 "
                    + "letters, digits, '.', '_' or '-', not only dots");
        }
        return streamerDir.resolve(sessionId);
    }

    /** Whether {@code id} is one plain directory name: no separator, no "." or "..", nothing a shell would expand. */
    public static boolean isSafeSessionId(String id) {
        return id != null && SESSION_ID.matcher(id).matches() && !id.chars().allMatch(c -> c == '.');
    }

    public static SingleChronicleQueue openForAppend(Path dir) {
        return openForAppend(dir, DEFAULT_ROLL_CYCLE, SystemTimeProvider.INSTANCE);
    }

    public static SingleChronicleQueue openForAppend(Path dir, RollCycle rollCycle) {
        return openForAppend(dir, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /** @param time when cycles roll; tests pass a {@code SetTimeProvider} to roll without waiting */
    public static SingleChronicleQueue openForAppend(Path dir, RollCycle rollCycle, TimeProvider time) {
        return builder(dir, rollCycle, time).build();
    }

    public static SingleChronicleQueue openForTail(Path dir, RollCycle rollCycle, TimeProvider time,
                                                   StoreFileListener listener) {
        return builder(dir, rollCycle, time).storeFileListener(listener).build();
    }

    /** Deletes a queue directory and everything in it (a closed session's); false if something stayed. */
    public static boolean deleteQueue(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Deletes what in a streamer directory belongs to no live session: session queues not in {@code live} untouched
     * for {@code minAgeMillis} (a session the renderer wrote after the streamer closed it, or left by a crash), and
     * cycle files lying directly in it (the layout before per-session queues). Returns how many entries went.
     */
    public static int deleteStale(Path streamerDir, Set<String> live, long minAgeMillis, long nowMillis) {
        File[] entries = streamerDir.toFile().listFiles();
        if (entries == null) {
            return 0;
        }
        int deleted = 0;
        for (File f : entries) {
            boolean oldLayout = f.isFile() && (f.getName().endsWith(".cq4") || f.getName().endsWith(".cq4t"));
            boolean orphan = f.isDirectory() && !live.contains(f.getName()) && isSafeSessionId(f.getName())
                    && nowMillis - newest(f) >= minAgeMillis;
            if ((oldLayout && nowMillis - f.lastModified() >= minAgeMillis) || orphan) {
                if (oldLayout ? f.delete() : deleteQueue(f.toPath())) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static long newest(File dir) {
        long newest = dir.lastModified();
        File[] files = dir.listFiles();
        if (files != null) {
            for (File f : files) {
                newest = Math.max(newest, f.lastModified());
            }
        }
        return newest;
    }

    private static SingleChronicleQueueBuilder builder(Path dir, RollCycle rollCycle, TimeProvider time) {
        return SingleChronicleQueueBuilder.binary(dir.toFile())
                .rollCycle(rollCycle)
                .timeProvider(time)
                .blockSize(BLOCK_SIZE);
    }
}
