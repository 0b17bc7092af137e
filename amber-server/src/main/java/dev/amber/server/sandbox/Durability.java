package dev.amber.server.sandbox;

/**
 * Whether saved machines can outlive their host: with an object store, snapshots and pauses are
 * copied there, and one whose host is gone starts on another host (409 {@code snapshot_not_durable}
 * before its copy is done). Without one, a host that is away is only waited for (503, as for any
 * call that needs it).
 */
public record Durability(boolean objectStore) {}
