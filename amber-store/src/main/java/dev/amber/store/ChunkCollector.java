package dev.amber.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Frees chunks no manifest references (mark and sweep), and checks that every manifest's chunks
 * are there. Safe beside uploads: it lists the chunks before the manifests, so a manifest written
 * meanwhile cannot lose a chunk it names unless that chunk was already older than {@code grace};
 * and an uploader trusts an old chunk to stay only while it is younger than {@code grace} (see
 * {@link Chunks}), re-checking it otherwise. The control plane also runs at most one pass at a
 * time, and none while an upload it asked for runs.
 */
public final class ChunkCollector {

    private final ObjectStore store;
    private final Manifests manifests;
    private final Duration grace;
    private final Clock clock;

    public ChunkCollector(ObjectStore store, Manifests manifests, Duration grace, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.manifests = requireNonNull(manifests, "manifests");
        this.grace = requireNonNull(grace, "grace");
        this.clock = requireNonNull(clock, "clock");
    }

    /** What one pass found and freed. */
    public record Collection(int chunks, int deleted, long deletedBytes) {}

    /** A saved state whose manifest names chunks the store does not have. */
    public record Damage(StateKind kind, String id, int missingChunks) {}

    public Collection collect() throws StoreException {
        Instant cutoff = clock.instant().minus(grace);
        List<StoredObject> stored = store.list(Chunks.FOLDER);
        Set<String> referenced = new HashSet<>();
        for (StoredManifest manifest : manifests.all()) {
            referenced.addAll(manifest.chunks());
        }
        int deleted = 0;
        long deletedBytes = 0;
        for (StoredObject chunk : stored) {
            Optional<String> hash = Chunks.hashOf(chunk.key());
            if (hash.isPresent() && !referenced.contains(hash.get()) && chunk.lastModified().isBefore(cutoff)) {
                store.delete(chunk.key());
                deleted++;
                deletedBytes += chunk.bytes();
            }
        }
        return new Collection(stored.size(), deleted, deletedBytes);
    }

    /** Every saved state that could not be restored from the store as it stands. */
    public List<Damage> audit() throws StoreException {
        Set<String> present = new HashSet<>();
        for (StoredObject chunk : store.list(Chunks.FOLDER)) {
            Chunks.hashOf(chunk.key()).ifPresent(present::add);
        }
        List<Damage> damaged = new ArrayList<>();
        for (StoredManifest manifest : manifests.all()) {
            int missing = (int) manifest.chunks().stream().filter(chunk -> !present.contains(chunk)).count();
            if (missing > 0) {
                damaged.add(new Damage(manifest.kind(), manifest.id(), missing));
            }
        }
        return damaged;
    }
}
