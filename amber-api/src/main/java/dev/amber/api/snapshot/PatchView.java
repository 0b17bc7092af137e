package dev.amber.api.snapshot;

import java.time.Instant;

/** A patch of a snapshot: a shell script, applied in {@code sequence} order to the sandboxes based on it. */
public record PatchView(int sequence, String script, Instant createdAt) {}
