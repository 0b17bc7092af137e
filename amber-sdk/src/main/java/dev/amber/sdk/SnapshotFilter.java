package dev.amber.sdk;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which snapshots {@link Snapshots#list(SnapshotFilter)} returns: those taken of {@code sandboxId}
 * (any when empty) of {@code kind} (any when empty). Start from {@link #all()} and narrow it down.
 */
public record SnapshotFilter(Optional<String> sandboxId, Optional<String> kind) {

    private static final SnapshotFilter ALL = new SnapshotFilter(Optional.empty(), Optional.empty());

    public SnapshotFilter {
        requireNonNull(sandboxId, "sandboxId");
        requireNonNull(kind, "kind");
    }

    public static SnapshotFilter all() {
        return ALL;
    }

    /** Only the snapshots and checkpoints taken of this sandbox. */
    public SnapshotFilter ofSandbox(String value) {
        return new SnapshotFilter(Optional.of(requireNonNull(value, "sandboxId")), kind);
    }

    /** Only this kind: {@link Snapshot#KIND_SNAPSHOT} or {@link Snapshot#KIND_CHECKPOINT}. */
    public SnapshotFilter ofKind(String value) {
        return new SnapshotFilter(sandboxId, Optional.of(requireNonNull(value, "kind")));
    }

    Query toQuery() {
        return Query.empty().with("sandboxId", sandboxId.orElse(null)).with("kind", kind.orElse(null));
    }
}
