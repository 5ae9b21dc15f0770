package io.facecast.signaling.placement;

/**
 * A streamer as placement sees it: how full it is.
 *
 * @param reportedLoad 0..1 as the streamer last reported it (0 from a streamer that reports none)
 */
public record StreamerLoad(String streamerId, int sessions, int maxSessions, double reportedLoad) {

    public StreamerLoad(String streamerId, int sessions, int maxSessions) {
        this(streamerId, sessions, maxSessions, 0);
    }

    public boolean hasRoom() {
        return sessions < maxSessions;
    }

    public int freeSlots() {
        return maxSessions - sessions;
    }

    /** The fuller of what the streamer says and what signaling placed there: 0 empty, 1 full. */
    public double load() {
        double placed = maxSessions <= 0 ? 1 : (double) sessions / maxSessions;
        return Math.max(Math.min(1, Math.max(0, reportedLoad)), placed);
    }
}
