package dev.amber.api.snapshot;

/** {@code POST /v1/sandboxes/{id}/snapshots}: a name unique within the team. */
public record CreateSnapshotRequest(String name) {}
