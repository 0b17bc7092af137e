package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 409 {@code conflict}: the target is in the wrong state (e.g. the sandbox is not running). */
public class ConflictException extends AmberException {

    public ConflictException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
