package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 413 {@code payload_too_large}: an upload exceeds what the sandbox's disk can hold. */
public class PayloadTooLargeException extends AmberException {

    public PayloadTooLargeException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
