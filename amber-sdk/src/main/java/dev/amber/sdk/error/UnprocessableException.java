package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 422 {@code unprocessable}: well-formed but impossible (e.g. an unknown template). */
public class UnprocessableException extends AmberException {

    public UnprocessableException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
