package dev.amber.api.host;

import java.time.Instant;

/** A host machine that runs sandboxes; {@code load} is null when the host could not be asked. */
public record HostView(String id, String name, String state, String accelerator, String acceleratorReason,
                       int sandboxes, Instant lastSeenAt, HostLoad load) {

    public HostView withLoad(HostLoad current) {
        return new HostView(id, name, state, accelerator, acceleratorReason, sandboxes, lastSeenAt, current);
    }
}
