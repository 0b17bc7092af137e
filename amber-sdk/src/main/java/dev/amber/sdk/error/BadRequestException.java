package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 400 {@code bad_request}: the request is malformed; the message says which field. */
public class BadRequestException extends AmberException {

    public BadRequestException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
