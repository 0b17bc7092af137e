package dev.amber.sdk.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any failure of a call to Amber. {@code code} is the API's error code ({@code not_found}, ...) or, when
 * no answer arrived, one of the client's own ({@code connection_failed}, {@code timeout},
 * {@code interrupted}, {@code invalid_response}); {@code status} is the HTTP status of an error response,
 * 0 with the client's own codes.
 * Catch a subclass to handle one kind of failure.
 */
public class AmberException extends RuntimeException {

    private final String code;
    private final int status;
    private final Map<String, Object> details;

    public AmberException(String code, int status, String message, Map<String, Object> details) {
        this(code, status, message, details, null);
    }

    public AmberException(String code, int status, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        // Not Map.copyOf: details come from the server and may hold JSON nulls.
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }
}
