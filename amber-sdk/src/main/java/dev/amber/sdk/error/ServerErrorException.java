package dev.amber.sdk.error;

import java.util.Map;

/** HTTP 500 {@code internal} (or another 5xx): the server failed; the message quotes an incident id. */
public class ServerErrorException extends AmberException {

    public ServerErrorException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
