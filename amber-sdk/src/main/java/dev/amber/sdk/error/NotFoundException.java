package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 404 {@code not_found}: no such sandbox, file or key, or it belongs to another team. */
public class NotFoundException extends AmberException {

    public NotFoundException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
