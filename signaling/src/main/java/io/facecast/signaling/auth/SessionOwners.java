package io.facecast.signaling.auth;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which key and credential opened each session, and each key's session quota. A create first reserves a slot
 * (under this object's lock, after forgetting the key's sessions that have closed), then runs without the lock (it
 * calls a streamer), then commits the session id or gives the slot back.
 */
final class SessionOwners {

    record Owner(String keyId, String credentialId) {}

    /** A slot held while a session is being created. */
    final class Reservation {
        private final Owner owner;
        private boolean done;

        private Reservation(Owner owner) {
            this.owner = owner;
        }

        void commit(String sessionId) {
            synchronized (SessionOwners.this) {
                if (!done) {
                    done = true;
                    pending.merge(owner.keyId(), -1, Integer::sum);
                    owners.put(sessionId, owner);
                    open.computeIfAbsent(owner.keyId(), k -> new HashSet<>()).add(sessionId);
                }
            }
        }

        void cancel() {
            synchronized (SessionOwners.this) {
                if (!done) {
                    done = true;
                    pending.merge(owner.keyId(), -1, Integer::sum);
                }
            }
        }
    }

    /** How long a client that hit the quota is told to wait: sessions end when closed or reaped, not on a timer. */
    static final Duration QUOTA_RETRY = Duration.ofSeconds(5);

    private final int quota;
    private final Predicate<String> isOpen;
    private final Map<String, Owner> owners = new HashMap<>();
    private final Map<String, Set<String>> open = new HashMap<>();
    private final Map<String, Integer> pending = new HashMap<>();

    /** @param isOpen whether a session still counts (not closed, not forgotten); must not block */
    SessionOwners(int quota, Predicate<String> isOpen) {
        this.quota = quota;
        this.isOpen = isOpen;
    }

    synchronized Reservation reserve(Principal principal) {
        Set<String> ids = open.computeIfAbsent(principal.keyId(), k -> new HashSet<>());
        ids.removeIf(id -> {
            boolean gone = !isOpen.test(id);
            if (gone) {
                owners.remove(id);
            }
            return gone;
        });
        int used = ids.size() + pending.getOrDefault(principal.keyId(), 0);
        if (used >= quota) {
            throw new QuotaExceeded("API key " + principal.keyId() + " has " + used + " open sessions, its quota is "
                    + quota + "; close one (CloseSession / DELETE) or wait for an abandoned one to be reaped",
                    QUOTA_RETRY);
        }
        pending.merge(principal.keyId(), 1, Integer::sum);
        return new Reservation(new Owner(principal.keyId(), principal.credentialId()));
    }

    synchronized Owner ownerOf(String sessionId) {
        return owners.get(sessionId);
    }

    synchronized int openCount(String keyId) {
        return open.getOrDefault(keyId, Set.of()).size();
    }
}
