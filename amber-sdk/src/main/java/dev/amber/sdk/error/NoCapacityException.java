package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 503 {@code no_capacity}: no host can take the sandbox now; retry later or ask for less. */
public class NoCapacityException extends AmberException {

    public NoCapacityException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
