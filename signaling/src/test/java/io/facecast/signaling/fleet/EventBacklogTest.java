package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounds of the events kept while the shared store is unreachable, on a clock the test moves. */
class EventBacklogTest {

    final AtomicLong millis = new AtomicLong(1_000);

    @Test
    void keepsOrderDropsTheOldestWhenFullAndTheStaleOnesWhenSent() {
        EventBacklog backlog = new EventBacklog(3, 10_000, millis::get);
        for (String m : List.of("e1", "e2", "e3", "e4")) {
            backlog.add(m);
            millis.addAndGet(1_000);
        }
        assertEquals(3, backlog.size());
        assertEquals(1, backlog.droppedFull(), "e1 went for e4");

        millis.set(1_000 + 1_000 + 10_000 + 1); // e2 waited past 10 s; e3 (at 3 000) did not
        List<String> sent = new ArrayList<>();
        assertEquals(2, backlog.drain(sent::add));
        assertEquals(List.of("e3", "e4"), sent, "in order");
        assertEquals(1, backlog.droppedExpired());
        assertEquals(0, backlog.size());
    }

    @Test
    void aSendThatFailsKeepsTheRestForTheNextTry() {
        EventBacklog backlog = new EventBacklog(10, 10_000, millis::get);
        backlog.add("e1");
        backlog.add("e2");
        List<String> sent = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> backlog.drain(m -> {
            if (m.equals("e2")) {
                throw new IllegalStateException("store down again");
            }
            sent.add(m);
        }));
        assertEquals(List.of("e1"), sent);
        assertEquals(1, backlog.size());
        backlog.drain(sent::add);
        assertEquals(List.of("e1", "e2"), sent);
    }
}
