package dev.amber.server.auth;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.quota.RateLimiter;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Turns the key a request carries ({@code X-API-Key: amb_…} or {@code Authorization: Bearer amb_…})
 * into a {@link Caller}, or refuses with 401; a key over its request rate gets 429 before any route
 * runs. A key's last use is written at most once a minute.
 */
public final class Authenticator {

    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final KeyLookup keys;
    private final RateLimiter rates;
    private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();

    public Authenticator(KeyLookup keys, RateLimiter rates) {
        this.keys = requireNonNull(keys, "keys");
        this.rates = requireNonNull(rates, "rates");
    }

    public Caller authenticate(String apiKeyHeader, String authorizationHeader) {
        String secret = Optional.ofNullable(apiKeyHeader)
                .or(() -> Optional.ofNullable(authorizationHeader)
                        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                        .map(value -> value.substring(7).strip()))
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED,
                        "missing API key: send it as X-API-Key: amb_… or Authorization: Bearer amb_…"));
        if (!secret.startsWith(ApiKeySecrets.PREFIX)) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "invalid API key");
        }
        Caller caller = keys.authenticate(secret)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "invalid API key"));
        rates.take(caller.keyId());
        Instant now = Instant.now();
        Instant previous = lastTouched.get(caller.keyId());
        if (previous == null || previous.plus(TOUCH_INTERVAL).isBefore(now)) {
            lastTouched.put(caller.keyId(), now);
            keys.touch(caller.keyId());
        }
        return caller;
    }

    /** Refuses non-admins with 403. */
    public static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "this needs a platform admin's API key");
        }
    }
}
