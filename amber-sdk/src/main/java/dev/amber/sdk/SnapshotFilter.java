package dev.amber.sdk;

import static java.util.Objects.requireNonNull;

/**
 * Which snapshots {@link Snapshots#list(SnapshotFilter)} returns: those taken of {@code sandboxId}
 * (any when null) of {@code kind} (any when null).
 */
public record SnapshotFilter(String sandboxId, String kind) {

    public static SnapshotFilter all() {
        return new SnapshotFilter(null, null);
    }

    /** Only the snapshots and checkpoints taken of this sandbox. */
    public SnapshotFilter ofSandbox(String value) {
        return new SnapshotFilter(requireNonNull(value, "sandboxId"), kind);
    }

    /** Only this kind: {@link Snapshot#KIND_SNAPSHOT} or {@link Snapshot#KIND_CHECKPOINT}. */
    public SnapshotFilter ofKind(String value) {
        return new SnapshotFilter(sandboxId, requireNonNull(value, "kind"));
    }

    Query toQuery() {
        return Query.empty().with("sandboxId", sandboxId).with("kind", kind);
    }
}
