package dev.amber.sdk.error;

import java.util.Map;

/** {@code connection_failed}: the exchange broke off before an answer arrived (unreachable server, reset, local I/O). */
public class AmberConnectionException extends AmberException {

    public AmberConnectionException(String message, Throwable cause) {
        super("connection_failed", 0, message, Map.of(), cause);
    }
}
