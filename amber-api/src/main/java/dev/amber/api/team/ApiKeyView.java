package dev.amber.api.team;

import java.time.Instant;

/** A key as listed: never its secret, only the first characters to recognise it. */
public record ApiKeyView(String id, String name, String prefix, boolean admin, Instant createdAt, Instant lastUsedAt) {}
