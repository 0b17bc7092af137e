package dev.amber.sdk.error;

import java.util.Map;

/**
 * {@code timeout}: the server answered HTTP 504, or (status 0) no answer arrived within the client's
 * timeout, which {@code AmberOptions} sets.
 */
public class AmberTimeoutException extends AmberException {

    public AmberTimeoutException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }

    public AmberTimeoutException(String message, Throwable cause) {
        super("timeout", 0, message, Map.of(), cause);
    }
}
