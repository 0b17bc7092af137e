package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 401 {@code unauthorized}: the API key is missing, unknown or revoked. */
public class UnauthorizedException extends AmberException {

    public UnauthorizedException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
