package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 403 {@code forbidden}: the key is valid but may not do this (e.g. an admin-only call). */
public class ForbiddenException extends AmberException {

    public ForbiddenException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
