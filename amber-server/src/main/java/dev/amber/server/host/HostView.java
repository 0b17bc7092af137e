package dev.amber.server.host;

import dev.amber.api.host.HostLoad;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A registered host as placement sees it, from memory: its state, its team ({@code null} for a
 * platform host), and what its newest heartbeat said ({@code load} empty before the first one).
 */
public record HostView(UUID id, HostState state, UUID teamId, Optional<HostLoad> load, Set<BaseSize> bases) {

    public HostView {
        requireNonNull(id, "id");
        requireNonNull(state, "state");
        requireNonNull(load, "load");
        bases = Set.copyOf(bases);
    }
}
