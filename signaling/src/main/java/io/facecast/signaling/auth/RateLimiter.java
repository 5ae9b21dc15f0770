package io.facecast.signaling.auth;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests per key: a token bucket per key ({@code burst} requests at once, refilled at {@code perSecond}), on an
 * injected nanosecond clock. A refused request learns how long until the next one is allowed.
 */
final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long at;
    }

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new HashMap<>();

    RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate limit must be positive with a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the key's bucket; returns zero when allowed, otherwise how long to wait. */
    synchronized Duration acquire(String keyId) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(keyId, k -> {
            Bucket b = new Bucket();
            b.tokens = burst;
            b.at = now;
            return b;
        });
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
        bucket.at = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9));
    }
}
