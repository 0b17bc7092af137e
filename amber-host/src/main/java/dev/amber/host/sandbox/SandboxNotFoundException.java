package dev.amber.host.sandbox;

import java.io.IOException;

/** No sandbox with that id exists on this host. */
public final class SandboxNotFoundException extends IOException {
    public SandboxNotFoundException(String message) {
        super(message);
    }
}
