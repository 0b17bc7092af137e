package dev.amber.api.team;

import java.time.Instant;

/** A key just created: {@code secret} is shown this once and stored only as a hash. */
public record CreatedApiKey(String id, String name, String secret, Instant createdAt) {}
