package dev.amber.host.sandbox;

import java.io.IOException;

/** An operation needs a running sandbox and this one is not (stopped, crashed, unknown). */
public final class SandboxNotRunningException extends IOException {
    public SandboxNotRunningException(String message) {
        super(message);
    }
}
