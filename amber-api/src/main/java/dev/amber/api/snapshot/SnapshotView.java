package dev.amber.api.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A snapshot or checkpoint as the API shows it. {@code kind}: {@code snapshot} (named, made with
 * {@code POST /v1/sandboxes/{id}/snapshots}) or {@code checkpoint} (bound to its sandbox).
 * {@code state}: creating, ready or failed. {@code basedOn}: the snapshot the source sandbox was
 * itself based on, if any. {@code pauseWindowMs}: how long the source's vCPUs were stopped.
 * {@code durable}: copied to the object store, so that any host can start from it, also after its
 * own host is gone (always false when Amber keeps no object store); {@code durableError}: why the
 * last copy failed (it is tried again).
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
        Instant createdAt,
        boolean durable,
        @JsonInclude(JsonInclude.Include.NON_NULL) String durableError) {}
