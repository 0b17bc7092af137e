package dev.amber.host.agent;

import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.ErrorCode;

import java.io.IOException;

/** The guest agent refused or failed an operation, with its reason (not found, permission, ...). */
public final class GuestOperationException extends IOException {

    private final ErrorCode code;

    public GuestOperationException(AgentError error) {
        super(error.message());
        this.code = error.code();
    }

    public ErrorCode code() {
        return code;
    }
}
