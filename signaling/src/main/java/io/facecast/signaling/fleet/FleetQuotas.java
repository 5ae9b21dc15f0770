package io.facecast.signaling.fleet;

/**
 * The API keys' limits counted fleet-wide (a shared store only; with {@code --registry memory} the one replica counts
 * them in memory): a token bucket of requests per key and a cap on the sessions a key holds open. Each check-then-take
 * is atomic in the store, so several replicas together let through no more than one would.
 */
public interface FleetQuotas {

    /**
     * Takes one request from the key's bucket ({@code burst} at once, refilled at {@code perSecond}).
     *
     * @return 0 when allowed, otherwise the milliseconds until a request is
     */
    long takeRequest(String keyId, double perSecond, int burst);

    /**
     * Holds a place for a session being created under the key's cap. Places of sessions that have ended and holds
     * older than {@code holdTtlMillis} (a replica that died mid-create) are freed first.
     *
     * @return -1 when held, otherwise how many places the key holds (the cap was reached)
     */
    long holdSessionPlace(String keyId, String holdId, int cap, long holdTtlMillis);

    /** The create succeeded: the hold becomes the session's place, freed when the session's record goes. */
    void commitSessionPlace(String keyId, String holdId, String sessionId);

    /** The create failed: the hold is given back. */
    void releaseSessionPlace(String keyId, String holdId);
}
