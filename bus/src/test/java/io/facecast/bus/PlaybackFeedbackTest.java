package io.facecast.bus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PlaybackFeedbackTest {
    @TempDir
    Path root;

    @Test
    void reportsWrittenAfterTheReaderOpenedArriveInOrder() {
        Path media = root.resolve("streamer-1");
        Path dir = PlaybackFeedback.dirFor(media);
        assertEquals(root.resolve("streamer-1.feedback").toAbsolutePath(), dir);
        try (PlaybackFeedback.Writer w = new PlaybackFeedback.Writer(dir)) {
            w.append(new PlaybackFeedback.Position("old", 1, 1, 1, 1));
            try (PlaybackFeedback.Reader r = new PlaybackFeedback.Reader(dir)) {
                assertNull(r.next(), "the reader starts at the end");
                w.append(new PlaybackFeedback.Position("s1", 7, 90, 1500, 123));
                w.append(new PlaybackFeedback.Position("s2", 0, 0, 0, 456));
                assertEquals(new PlaybackFeedback.Position("s1", 7, 90, 1500, 123), r.next());
                assertEquals(new PlaybackFeedback.Position("s2", 0, 0, 0, 456), r.next());
                assertNull(r.next());
            }
        }
        assertEquals(45, new PlaybackFeedback.Position("s", 1, 90, 1500, 0).framesPlayed(30));
    }
}
