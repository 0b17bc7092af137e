package dev.amber.sdk.error;

import java.util.Map;

/**
 * HTTP 429 {@code quota_exceeded}: the team's quota cannot hold what was asked. The details say which
 * ({@code quota}, e.g. {@code maxSandboxes}), its {@code limit}, what is {@code used} and {@code requested}.
 */
public class QuotaExceededException extends AmberException {

    public QuotaExceededException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }

    /** The name of the limit that was reached, e.g. {@code maxRunningVcpus}. */
    public String quota() {
        return String.valueOf(details().get("quota"));
    }
}
