package dev.amber.server.quota;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Each API key's request rate: a token bucket per key that holds {@code burst} requests and refills
 * at {@code perSecond}. The buckets live in this server process's memory: with several servers, each
 * allows a key its full rate. A rate of 0 lets everything through.
 */
public final class RateLimiter {

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    /** {@code nanoTime}: the clock, as {@link System#nanoTime}. */
    RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be >= 0 and burst >= 1, got " + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one request of {@code keyId}, or refuses with 429 {@code rate_limited} saying how long to wait. */
    public void take(UUID keyId) {
        if (perSecond == 0) {
            return;
        }
        double missing = buckets.computeIfAbsent(keyId, key -> new Bucket(burst, nanoTime.getAsLong())).take();
        if (missing > 0) {
            long retryAfter = Math.max(1, (long) Math.ceil(missing / perSecond));
            throw new ApiException(ErrorCode.RATE_LIMITED, "too many requests with this API key: at most " + perSecond
                    + " a second (bursts of " + burst + "); retry after " + retryAfter + " s",
                    Map.of(ApiException.RETRY_AFTER_SEC, retryAfter));
        }
    }

    /** A key's tokens; refilled lazily, on each take, for the time since the previous one. */
    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        /** Takes a token: 0 when there was one, else how many tokens are missing for one. */
        synchronized double take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / TimeUnit.SECONDS.toNanos(1));
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return 1 - tokens;
        }
    }
}
