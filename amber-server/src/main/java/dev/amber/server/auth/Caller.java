package dev.amber.server.auth;

import java.util.UUID;

/** Who is calling: the team the API key belongs to, the key, and whether it is a platform admin's. */
public record Caller(UUID teamId, UUID keyId, boolean admin) {}
