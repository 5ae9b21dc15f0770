package io.facecast.signaling.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Fewest sessions first, so load spreads evenly; among equals, the one with most free slots (the bigger machine), then
 * the id so the choice is deterministic.
 */
public final class LeastLoadedPlacement implements PlacementPolicy {

    private static final Comparator<StreamerLoad> ORDER = Comparator.comparingInt(StreamerLoad::sessions)
            .thenComparing(Comparator.comparingInt(StreamerLoad::freeSlots).reversed())
            .thenComparing(StreamerLoad::streamerId);

    @Override
    public Optional<String> choose(List<StreamerLoad> candidates) {
        return candidates.stream().filter(StreamerLoad::hasRoom).min(ORDER).map(StreamerLoad::streamerId);
    }
}
