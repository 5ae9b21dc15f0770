package io.facecast.signaling.placement;

import java.util.List;
import java.util.Optional;

/** Picks the streamer for a new session among live ones; empty when none has room. */
public interface PlacementPolicy {
    Optional<String> choose(List<StreamerLoad> candidates);
}
