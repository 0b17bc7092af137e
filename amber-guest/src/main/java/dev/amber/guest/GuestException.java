package dev.amber.guest;

import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.ErrorCode;

import java.io.IOException;

/** A failure the agent detected itself, already classified for the host. */
public final class GuestException extends IOException {

    private final ErrorCode code;

    public GuestException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public AgentError error() {
        return new AgentError(code, getMessage());
    }
}
