package dev.amber.host.sandbox;

import java.io.IOException;

/** A sandbox could not be brought up; the message carries what QEMU and the guest said last. */
public final class SandboxStartException extends IOException {
    public SandboxStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
