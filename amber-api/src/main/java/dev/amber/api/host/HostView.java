package dev.amber.api.host;

import java.time.Instant;

/** A host machine that runs sandboxes. */
public record HostView(String id, String name, String state, String accelerator, String acceleratorReason,
                       int sandboxes, Instant lastSeenAt) {}
