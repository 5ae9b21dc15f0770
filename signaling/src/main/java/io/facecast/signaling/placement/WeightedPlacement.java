package io.facecast.signaling.placement;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Load-weighted random choice, the way media fleets place: each streamer with room is chosen with probability
 * proportional to {@code 1 - load} ({@link StreamerLoad#load()}). Not strictly least-loaded, so creates arriving at
 * the same moment through several replicas spread instead of all landing on the one emptiest streamer; the slot is
 * then reserved atomically in the fleet state, and a refusal there moves on to another pick.
 */
public final class WeightedPlacement implements PlacementPolicy {

    /** A nearly full streamer still has a small chance, so a fleet of full-ish streamers still places. */
    static final double MIN_WEIGHT = 0.01;

    private final RandomGenerator random;

    public WeightedPlacement(RandomGenerator random) {
        this.random = random;
    }

    public WeightedPlacement() {
        this(RandomGenerator.of("L64X128MixRandom"));
    }

    @Override
    public Optional<String> choose(List<StreamerLoad> candidates) {
        List<StreamerLoad> open = candidates.stream().filter(StreamerLoad::hasRoom).toList();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        double total = 0;
        for (StreamerLoad load : open) {
            total += weight(load);
        }
        double pick;
        synchronized (random) {
            pick = random.nextDouble() * total;
        }
        for (StreamerLoad load : open) {
            pick -= weight(load);
            if (pick < 0) {
                return Optional.of(load.streamerId());
            }
        }
        return Optional.of(open.get(open.size() - 1).streamerId());
    }

    static double weight(StreamerLoad load) {
        return Math.max(MIN_WEIGHT, 1 - load.load());
    }
}
