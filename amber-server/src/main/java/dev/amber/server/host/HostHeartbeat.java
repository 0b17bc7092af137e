package dev.amber.server.host;

import dev.amber.api.host.HostLoad;

import java.time.Instant;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** What a host said in a heartbeat, and when it arrived. {@code agentVersion} is empty when the host did not say. */
public record HostHeartbeat(HostLoad load, int sandboxCount, String agentVersion, Set<BaseSize> bases,
                            Instant receivedAt) {

    public HostHeartbeat {
        requireNonNull(load, "load");
        requireNonNull(agentVersion, "agentVersion");
        bases = Set.copyOf(bases);
        requireNonNull(receivedAt, "receivedAt");
    }
}
