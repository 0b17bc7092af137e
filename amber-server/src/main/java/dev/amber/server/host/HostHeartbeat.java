package dev.amber.server.host;

import dev.amber.api.host.HostLoad;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a host said in a heartbeat, and when it arrived. {@code agentVersion} is empty when the host
 * did not say, {@code platform} when it is older than platforms.
 */
public record HostHeartbeat(HostLoad load, int sandboxCount, String agentVersion, Set<BaseSize> bases,
                            Optional<HostPlatformFacts> platform, Instant receivedAt) {

    public HostHeartbeat {
        requireNonNull(load, "load");
        requireNonNull(agentVersion, "agentVersion");
        requireNonNull(platform, "platform");
        bases = Set.copyOf(bases);
        requireNonNull(receivedAt, "receivedAt");
    }
}
