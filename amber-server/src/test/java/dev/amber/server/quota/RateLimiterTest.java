package dev.amber.server.quota;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final UUID key = UUID.randomUUID();

    @Test
    void aKeyMaySpendItsBurstAtOnceThenWaitsForTheRefill() {
        RateLimiter limiter = new RateLimiter(2, 5, now::get);
        for (int i = 0; i < 5; i++) {
            limiter.take(key);
        }

        assertThatThrownBy(() -> limiter.take(key)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.details()).containsEntry(ApiException.RETRY_AFTER_SEC, 1L);
        });
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        limiter.take(key);
    }

    @Test
    void retryAfterRoundsTheWaitUpToWholeSeconds() {
        RateLimiter limiter = new RateLimiter(0.25, 1, now::get);
        limiter.take(key);

        assertThatThrownBy(() -> limiter.take(key)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.details()).containsEntry(ApiException.RETRY_AFTER_SEC, 4L));
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);
        limiter.take(key);

        limiter.take(UUID.randomUUID());
    }

    @Test
    void aBucketRefillsNoFurtherThanItsBurst() {
        RateLimiter limiter = new RateLimiter(100, 2, now::get);
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        limiter.take(key);
        limiter.take(key);

        assertThatThrownBy(() -> limiter.take(key)).isInstanceOf(ApiException.class);
    }

    @Test
    void aRateOfZeroLetsEverythingThrough() {
        RateLimiter limiter = new RateLimiter(0, 1, now::get);
        for (int i = 0; i < 1000; i++) {
            limiter.take(key);
        }
    }
}
