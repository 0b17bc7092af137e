package dev.amber.protocol.message;

import java.io.IOException;

/** A message that does not follow the protocol: truncated, oversized, or of an unknown kind. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
