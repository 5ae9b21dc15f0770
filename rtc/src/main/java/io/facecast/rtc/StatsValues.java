package io.facecast.rtc;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.Optional;

/** Reads numbers out of a native stats report, whose attribute types vary (Long, BigInteger, Double, ...). */
final class StatsValues {
    private StatsValues() {
    }

    static Optional<RTCStats> find(RTCStatsReport report, RTCStatsType type, String kind) {
        return report.getStats().values().stream()
                .filter(s -> s.getType() == type)
                .filter(s -> kind.equals(s.getAttributes().get("kind")))
                .findFirst();
    }

    static long longOf(Optional<RTCStats> stats, String name) {
        return stats.map(s -> s.getAttributes().get(name))
                .filter(Number.class::isInstance)
                .map(v -> ((Number) v).longValue())
                .orElse(0L);
    }

    static double doubleOf(Optional<RTCStats> stats, String name) {
        return stats.map(s -> s.getAttributes().get(name))
                .filter(Number.class::isInstance)
                .map(v -> ((Number) v).doubleValue())
                .orElse(0.0);
    }

    static String stringOf(Optional<RTCStats> stats, String name) {
        return stats.map(s -> s.getAttributes().get(name)).map(Object::toString).orElse("");
    }
}
