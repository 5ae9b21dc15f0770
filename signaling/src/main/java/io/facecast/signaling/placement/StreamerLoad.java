package io.facecast.signaling.placement;

/** A streamer as placement sees it: how full it is. */
public record StreamerLoad(String streamerId, int sessions, int maxSessions) {

    public boolean hasRoom() {
        return sessions < maxSessions;
    }

    public int freeSlots() {
        return maxSessions - sessions;
    }
}
