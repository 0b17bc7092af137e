package dev.amber.server.host;

import dev.amber.api.host.HostLoad;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A host as placement sees it, from memory (no call to the host): its state, the team that owns it
 * ({@code teamId} null: a platform host, open to every team), its newest reported capacity and load
 * (empty: it has not said), the machine sizes it holds base snapshots of and the platform it restores
 * saved machines on (empty: it has not said).
 */
public record HostView(UUID id, HostState state, UUID teamId, Optional<HostLoad> load, Set<BaseSize> bases,
                       Optional<HostPlatformFacts> platform) {

    public HostView {
        requireNonNull(id, "id");
        requireNonNull(state, "state");
        requireNonNull(load, "load");
        bases = Set.copyOf(bases);
        requireNonNull(platform, "platform");
    }
}
