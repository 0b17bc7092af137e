package dev.amber.server.host;

import dev.amber.server.WireName;

/**
 * Where a host stands: only a {@code ready} host takes new sandboxes. {@code unreachable}: not heard
 * from lately; {@code draining}: an operator stopped new placements on it; {@code removed}: gone for good.
 */
public enum HostState implements WireName {
    READY,
    UNREACHABLE,
    DRAINING,
    REMOVED
}
