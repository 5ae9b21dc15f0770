package io.facecast.streamer.schedule;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One copy of each distinct idle frame for the whole process. Every session of one avatar pack and size receives the
 * same idle loop (full I420 frames, 384 KiB each at 512x512, held for the session's life), so N sessions of a pack
 * with a breathing loop would otherwise hold N copies of it; here they share one. Frames are compared by content, so
 * two packs never share by mistake; an entry lives as long as some session holds its frame (weakly referenced).
 * Interned arrays are read-only by contract: {@link FrameComposer} only copies from them.
 */
final class SharedFrames {
    private static final Map<Integer, List<Ref>> BY_HASH = new HashMap<>();
    private static final ReferenceQueue<byte[]> CLEARED = new ReferenceQueue<>();

    private SharedFrames() {
    }

    /** The process's copy of a frame with these bytes: {@code frame} itself the first time it is seen. */
    static synchronized byte[] intern(byte[] frame) {
        expunge();
        int hash = Arrays.hashCode(frame);
        List<Ref> bucket = BY_HASH.computeIfAbsent(hash, h -> new ArrayList<>(1));
        for (Ref r : bucket) {
            byte[] known = r.get();
            if (known != null && Arrays.equals(known, frame)) {
                return known;
            }
        }
        bucket.add(new Ref(frame, hash));
        return frame;
    }

    /** Distinct frames held now (for tests). */
    static synchronized int size() {
        expunge();
        return BY_HASH.values().stream().mapToInt(List::size).sum();
    }

    private static void expunge() {
        Ref r;
        while ((r = (Ref) CLEARED.poll()) != null) {
            List<Ref> bucket = BY_HASH.get(r.hash);
            if (bucket != null) {
                bucket.remove(r);
                if (bucket.isEmpty()) {
                    BY_HASH.remove(r.hash);
                }
            }
        }
    }

    private static final class Ref extends WeakReference<byte[]> {
        final int hash;

        Ref(byte[] frame, int hash) {
            super(frame, CLEARED);
            this.hash = hash;
        }
    }
}
