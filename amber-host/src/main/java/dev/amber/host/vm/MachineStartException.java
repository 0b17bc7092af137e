package dev.amber.host.vm;

import java.io.IOException;

/** A machine's QEMU could not be started, booted or restored; the message carries what QEMU and the guest said. */
public final class MachineStartException extends IOException {
    public MachineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
