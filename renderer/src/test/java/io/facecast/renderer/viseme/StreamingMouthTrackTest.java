package io.facecast.renderer.viseme;

import io.facecast.renderer.tts.PhonemeTiming;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StreamingMouthTrackTest {
    @Test
    void fedInPiecesItGivesTheWholeTracksPoses() {
        String[] names = {"pau", "hh", "ax", "l", "ow", "m", "b", "aa", "p", "iy", "f", "uw", "pau", "s", "eh", "v", "pau"};
        List<PhonemeTiming> all = new ArrayList<>();
        int t = 0;
        for (int i = 0; i < 60; i++) {
            int len = 700 + (i * 937) % 3000; // 15-77 ms at 48 kHz
            all.add(new PhonemeTiming(names[i % names.length], t, t + len));
            t += len;
        }
        int fps = 30;
        int frames = t * fps / 48000 - 1;
        MouthTrack whole = new MouthTrack(all, 48000, fps, frames + 5);
        StreamingMouthTrack streamed = new StreamingMouthTrack(48000, fps);
        int fed = 0;
        int lookAhead = StreamingMouthTrack.lookAheadSamples(48000, fps);
        for (int j = 0; j < frames; j++) {
            int needed = (j + 1) * 1600 + lookAhead;
            while (fed < all.size() && (fed == 0 ? 0 : all.get(fed - 1).endSample()) < needed) {
                streamed.add(all.subList(fed, Math.min(all.size(), fed + 7))); // pieces of 7, as sentences would come
                fed = Math.min(all.size(), fed + 7);
            }
            MouthParams a = whole.at(j), b = streamed.next(j);
            assertEquals(a.openness(), b.openness(), 1e-9, "frame " + j);
            assertEquals(a.width(), b.width(), 1e-9, "frame " + j);
            assertEquals(a.roundness(), b.roundness(), 1e-9, "frame " + j);
        }
        assertThrows(IllegalStateException.class, () -> streamed.next(frames + 3));
    }
}
