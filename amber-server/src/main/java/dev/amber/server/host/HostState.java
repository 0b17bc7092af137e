package dev.amber.server.host;

import dev.amber.server.WireName;

/**
 * Where a host stands with the control plane. Only a {@code READY} host takes new sandboxes. A host
 * silent past the heartbeat timeout is {@code UNREACHABLE} until it registers again; an admin's
 * drain ({@code DRAINING}) outlives such a gap; a {@code REMOVED} host keeps its row for history and
 * is refused when it registers.
 */
public enum HostState implements WireName {
    READY,
    UNREACHABLE,
    DRAINING,
    REMOVED
}
