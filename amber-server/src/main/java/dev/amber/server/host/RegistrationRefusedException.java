package dev.amber.server.host;

/** A host that may not register, with why (e.g. an admin removed it): retrying will not help. */
public final class RegistrationRefusedException extends RuntimeException {

    public RegistrationRefusedException(String message) {
        super(message);
    }
}
