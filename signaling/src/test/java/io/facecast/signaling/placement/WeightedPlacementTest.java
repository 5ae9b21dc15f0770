package io.facecast.signaling.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WeightedPlacementTest {

    private final WeightedPlacement policy = new WeightedPlacement(new Random(42));

    private Map<String, Integer> spread(List<StreamerLoad> candidates, int picks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(policy.choose(candidates).orElseThrow(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void picksInProportionToOneMinusLoad() {
        // Weights 1.0, 0.5 and 0.25: expected shares 4/7, 2/7, 1/7 of 7000 picks.
        Map<String, Integer> counts = spread(List.of(
                new StreamerLoad("a", 0, 10, 0.0), new StreamerLoad("b", 0, 10, 0.5), new StreamerLoad("c", 0, 10, 0.75)),
                7000);
        assertEquals(4000, counts.get("a"), 200);
        assertEquals(2000, counts.get("b"), 150);
        assertEquals(1000, counts.get("c"), 120);
    }

    @Test
    void placedSessionsCountAsLoadWhenTheStreamerReportsLess() {
        // b reports nothing but holds 3 of 4 slots: load 0.75, weight 0.25 against a's 1.0.
        Map<String, Integer> counts = spread(List.of(new StreamerLoad("a", 0, 4), new StreamerLoad("b", 3, 4)), 5000);
        assertEquals(4000, counts.get("a"), 200);
        assertEquals(1000, counts.get("b"), 200);
    }

    @Test
    void simultaneousCreatesSpreadInsteadOfAllTakingTheEmptiest() {
        // Ten equal streamers, one slightly emptier: least-loaded would send every create to it; weighted does not.
        List<StreamerLoad> fleet = new java.util.ArrayList<>();
        fleet.add(new StreamerLoad("empty", 0, 100));
        for (int i = 0; i < 9; i++) {
            fleet.add(new StreamerLoad("s" + i, 1, 100));
        }
        Map<String, Integer> counts = spread(fleet, 1000);
        assertEquals(10, counts.size(), "every streamer got some of the burst");
        assertTrue(counts.get("empty") < 200, "the emptiest got about its share, not all: " + counts);
    }

    @Test
    void fullStreamersAreNeverChosenAndNoneWithRoomIsEmpty() {
        assertEquals(Optional.of("b"), policy.choose(List.of(new StreamerLoad("a", 2, 2), new StreamerLoad("b", 0, 2))));
        assertEquals(Optional.empty(), policy.choose(List.of(new StreamerLoad("a", 2, 2))));
        assertEquals(Optional.empty(), policy.choose(List.of()));
    }
}
