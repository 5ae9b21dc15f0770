package io.facecast.streamer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facecast.bus.BusMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WORD_STARTED records are reported when the frame holding the word's first phoneme is pushed, not when read. */
class WordEventsTest {
    private static BusMessage word(Rig rig, long utterance, int frame, int offset, int length, String text) {
        return new BusMessage.WordStarted(rig.session, utterance, frame, frame * 1600L, offset, length, text, 0);
    }

    @Test
    void eachWordFiresWithItsFrameOnTheSessionTimeline() {
        Rig rig = new Rig(30).withIdle();
        rig.runTo(500);
        Media.Utterance u = rig.utterance(1, 2_000);
        List<BusMessage> records = new ArrayList<>();
        records.add(u.start());
        int[] wordFrames = {0, 9, 25};
        int w = 0;
        for (int j = 0; j < u.frames; j++) {
            if (w < wordFrames.length && wordFrames[w] == j) {
                records.add(word(rig, 1, j, w * 6, 5, "word" + w));
                w++;
            }
            records.add(u.video(j));
            records.add(u.audio(j));
        }
        records.add(u.end());
        rig.feed(records);
        rig.runTo(1_000); // read long before it plays out: nothing fires early
        int k0 = rig.sink.firstSpeechFrame(0);
        rig.runTo(5_000);

        List<RecordingListener.Event> words = rig.listener.of("word");
        assertEquals(3, words.size(), rig.listener.events.toString());
        long started = rig.listener.of("started").get(0).mediaTimeMs();
        for (int i = 0; i < 3; i++) {
            long k = k0 + wordFrames[i];
            assertEquals(k * 1000 / 30, words.get(i).mediaTimeMs(), "word " + i + " at its frame's media time");
            assertEquals(i * 6L, words.get(i).value(), "text offset");
        }
        assertEquals(started, words.get(0).mediaTimeMs(), "the first word starts with the speech");
    }

    @Test
    void wordsOfAnInterruptedUtteranceStopWithIt() {
        Rig rig = new Rig(30).withIdle();
        rig.runTo(500);
        Media.Utterance u = rig.utterance(1, 3_000);
        List<BusMessage> records = new ArrayList<>(List.of(u.start()));
        for (int j = 0; j < u.frames; j++) {
            if (j % 10 == 0) {
                records.add(word(rig, 1, j, j, 1, "w"));
            }
            records.add(u.video(j));
            records.add(u.audio(j));
        }
        records.add(u.end());
        rig.feed(records);
        rig.runTo(1_400);
        rig.scheduler.interrupt(rig.session, 1);
        int before = rig.listener.of("word").size();
        rig.runTo(6_000);
        assertEquals(before, rig.listener.of("word").size(), "no word after the interrupt");
    }
}
