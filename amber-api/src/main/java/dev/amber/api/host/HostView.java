package dev.amber.api.host;

import java.time.Instant;

/**
 * A host machine that runs sandboxes: {@code state} is ready, unreachable, draining or removed;
 * {@code teamId} null for a platform host; {@code lastSeenAt} its newest heartbeat (or
 * registration); {@code agentVersion}, {@code load} (capacity and use) and {@code platform} (what
 * it runs machines on) as its newest heartbeat said them, null before one arrived.
 */
public record HostView(String id, String name, String state, String address, String accelerator,
                       String acceleratorReason, String agentVersion, String teamId, int sandboxes, Instant lastSeenAt,
                       HostLoad load, HostPlatform platform) {

    /** This host as its newest heartbeat shows it. */
    public HostView withHeartbeat(String agentVersion, Instant receivedAt, HostLoad load, HostPlatform platform) {
        return new HostView(id, name, state, address, accelerator, acceleratorReason, agentVersion, teamId, sandboxes,
                receivedAt, load, platform);
    }

    /** This host in {@code state}, as the server answering sees it. */
    public HostView withState(String state) {
        return new HostView(id, name, state, address, accelerator, acceleratorReason, agentVersion, teamId, sandboxes,
                lastSeenAt, load, platform);
    }
}
