package dev.amber.api.host;

import java.time.Instant;

/** A join token just made: shown this once, stored only as a hash; one host may join with it before {@code expiresAt}. */
public record CreatedJoinToken(String token, Instant expiresAt) {}
