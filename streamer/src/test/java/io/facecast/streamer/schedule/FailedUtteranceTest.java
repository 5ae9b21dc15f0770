package io.facecast.streamer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facecast.bus.BusMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An utterance the renderer ended early is reported as an error right after what was rendered has played. */
class FailedUtteranceTest {
    @Test
    void theErrorFollowsTheLastRenderedFrame() {
        Rig rig = new Rig(30).withIdle();
        RecordingListener listener = rig.listener;
        rig.runTo(500);
        Media.Utterance u = rig.utterance(1, 1_000);
        List<BusMessage> records = new ArrayList<>(u.head(u.frames));
        records.add(u.end("UNAVAILABLE: the HTTP speech backend failed: 503"));
        rig.feed(records);
        rig.runTo(900);
        assertEquals(List.of("started"), listener.events.stream().map(RecordingListener.Event::kind).toList(),
                "nothing reported before the rendered part has played");
        rig.runTo(4_000);
        assertEquals(List.of("started", "finished", "failed"),
                listener.events.stream().map(RecordingListener.Event::kind).toList());
        assertEquals(List.of("UNAVAILABLE | the HTTP speech backend failed: 503"), listener.failures);
    }
}
