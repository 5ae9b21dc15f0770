package io.facecast.signaling.fleet;

/**
 * How signaling keeps its fleet state.
 *
 * @param registry           {@code memory} (one replica, the default) or {@code redis://HOST:PORT} (replicas share it)
 * @param placementThreshold a streamer reporting a load above this (0..1) takes no new sessions
 */
public record FleetOptions(String registry, double placementThreshold) {

    public static final String MEMORY = "memory";
    public static final double DEFAULT_PLACEMENT_THRESHOLD = 0.8;

    public FleetOptions {
        if (!MEMORY.equals(registry) && !registry.startsWith("redis://")) {
            throw new IllegalArgumentException("--registry '" + registry + "' must be memory or redis://HOST:PORT");
        }
        if (!(placementThreshold > 0 && placementThreshold <= 1)) {
            throw new IllegalArgumentException("--placement-threshold " + placementThreshold + " must be within (0, 1]");
        }
    }

    public static FleetOptions memory() {
        return new FleetOptions(MEMORY, DEFAULT_PLACEMENT_THRESHOLD);
    }

    public boolean inMemory() {
        return MEMORY.equals(registry);
    }
}
