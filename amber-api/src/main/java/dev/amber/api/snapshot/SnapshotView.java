package dev.amber.api.snapshot;

import java.time.Instant;

/**
 * A snapshot or checkpoint as the API shows it. {@code kind}: {@code snapshot} (named, made with
 * {@code POST /v1/sandboxes/{id}/snapshots}) or {@code checkpoint} (bound to its sandbox).
 * {@code state}: creating, ready or failed. {@code basedOn}: the snapshot the source sandbox was
 * itself based on, if any. {@code pauseWindowMs}: how long the source's vCPUs were stopped.
 */
public record SnapshotView(
        String snapshotId,
        String name,
        String kind,
        String state,
        String stateReason,
        String sandboxId,
        String basedOn,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        Long sizeBytes,
        Long pauseWindowMs,
        String hostId,
        Instant createdAt) {}
