package io.facecast.renderer;

import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.MediaBus;
import net.openhft.chronicle.core.time.SystemTimeProvider;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads back what was appended: everything available now. */
public final class BusFixture {
    private BusFixture() {}

    public static List<BusMessage> drain(BusTailer tailer) {
        List<BusMessage> out = new ArrayList<>();
        for (BusMessage m; (m = tailer.next()) != null; ) {
            out.add(m);
        }
        return out;
    }

    /** The records of one type, in order. */
    public static <T extends BusMessage> List<T> only(List<BusMessage> records, Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Everything written into a streamer directory's session queues, session by session in the order they appeared. */
    public static Tail tail(Path streamerDir) {
        return new Tail(streamerDir);
    }

    public static List<BusMessage> drain(Tail tail) {
        return tail.drain();
    }

    /** A reader of every session queue in one streamer directory (as the streamer's ingest, minus the pacing). */
    public static final class Tail implements AutoCloseable {
        private final Path streamerDir;
        private final Map<String, BusTailer> queues = new LinkedHashMap<>();

        Tail(Path streamerDir) {
            this.streamerDir = streamerDir;
        }

        /** The next record of any session (queues in the order they appeared); null when none is there yet. */
        public BusMessage next() {
            discover();
            for (BusTailer t : queues.values()) {
                BusMessage m = t.next();
                if (m != null) {
                    return m;
                }
            }
            return null;
        }

        public List<BusMessage> drain() {
            discover();
            List<BusMessage> out = new ArrayList<>();
            for (BusTailer t : queues.values()) {
                out.addAll(BusFixture.drain(t));
            }
            return out;
        }

        private void discover() {
            File[] dirs = streamerDir.toFile().listFiles(File::isDirectory);
            if (dirs != null) {
                Arrays.sort(dirs, (a, b) -> Long.compare(a.lastModified(), b.lastModified()));
                for (File d : dirs) {
                    if (MediaBus.isSafeSessionId(d.getName()) && !queues.containsKey(d.getName())) {
                        queues.put(d.getName(), new BusTailer(d.toPath(), MediaBus.DEFAULT_ROLL_CYCLE,
                                SystemTimeProvider.INSTANCE, true));
                    }
                }
            }
        }

        @Override
        public void close() {
            queues.values().forEach(BusTailer::close);
            queues.clear();
        }
    }
}
