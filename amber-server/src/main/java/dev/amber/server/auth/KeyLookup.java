package dev.amber.server.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * Where {@link Authenticator} finds the owner of a key: the keys themselves are the teams' (they
 * are created, listed and deleted with a team), so auth asks through this and never sees how they are stored.
 */
public interface KeyLookup {

    /** Who a secret belongs to, if it is a live key. */
    Optional<Caller> authenticate(String secret);

    /** Records that key {@code keyId} was just used. */
    void touch(UUID keyId);
}
