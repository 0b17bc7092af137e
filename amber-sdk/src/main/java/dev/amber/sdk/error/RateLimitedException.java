package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 429 {@code rate_limited}: the API key sent too many requests; retry after {@link #retryAfterSec()}. */
public class RateLimitedException extends AmberException {

    public RateLimitedException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }

    /** Whole seconds to wait before the key is served again (1 when the server did not say). */
    public long retryAfterSec() {
        return details().get("retryAfterSec") instanceof Number seconds ? seconds.longValue() : 1;
    }
}
