package dev.amber.server.host;

import java.util.Locale;

/**
 * Where a host stands with the control plane. Only a {@code READY} host takes new sandboxes. A host
 * silent past the heartbeat timeout is {@code UNREACHABLE} until it registers again; an admin's
 * drain ({@code DRAINING}) outlives such a gap; a {@code REMOVED} host keeps its row for history and
 * is refused when it registers.
 */
public enum HostState {
    READY, UNREACHABLE, DRAINING, REMOVED;

    /** As stored in {@code hosts.state} and shown by the API: {@code ready}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HostState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
