package dev.amber.server.durable;

import dev.amber.server.Ids;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.store.ChunkCollector;
import dev.amber.store.DurableStore;
import dev.amber.store.StateKind;
import dev.amber.store.StoreException;
import dev.amber.store.StoredManifest;
import org.jdbi.v3.core.Jdbi;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the object store to what the database says exists, every {@code period}, in one replica at
 * a time and never while a copy runs ({@link StoreLocks}): manifests of snapshots that are gone and
 * of pauses no sandbox is in any more are deleted (once older than the grace period, so a copy
 * being recorded right now is spared); then chunks no manifest names are collected; then every
 * manifest is checked for missing chunks, and a state found damaged is marked not durable, so that
 * its host copies it again if it still has it.
 */
public final class StoreCollector implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.durable");

    private final Jdbi jdbi;
    private final DurableStore store;
    private final SnapshotRepository snapshots;
    private final SandboxRepository sandboxes;
    private final Duration grace;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("store-collector").factory());

    /** What one pass did; empty when another replica, or a copy, held the store. */
    public record Pass(int manifestsDeleted, ChunkCollector.Collection chunks, List<ChunkCollector.Damage> damaged) {}

    public StoreCollector(Jdbi jdbi, DurableStore store, SnapshotRepository snapshots, SandboxRepository sandboxes,
                          Duration grace) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.store = requireNonNull(store, "store");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.grace = requireNonNull(grace, "grace");
    }

    public void start(Duration period) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                collect();
            } catch (StoreException | RuntimeException e) {
                LOG.log(Level.WARNING, "object store collection failed: " + e.getMessage(), e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass now. */
    public Optional<Pass> collect() throws StoreException {
        return jdbi.withHandle(handle -> {
            if (!StoreLocks.tryCollecting(handle)) {
                return Optional.empty();
            }
            try {
                Pass pass = pass();
                LOG.log(Level.INFO, "object store collected: {0} manifests and {1} chunks ({2} bytes) freed, {3} damaged",
                        pass.manifestsDeleted(), pass.chunks().deleted(), pass.chunks().deletedBytes(),
                        pass.damaged().size());
                return Optional.of(pass);
            } finally {
                StoreLocks.doneCollecting(handle);
            }
        });
    }

    private Pass pass() throws StoreException {
        int deleted = deleteOrphans(store.manifests().all());
        ChunkCollector.Collection chunks = store.collector().collect();
        List<ChunkCollector.Damage> damaged = store.collector().audit();
        for (ChunkCollector.Damage damage : damaged) {
            String reason = damage.missingChunks() + " of its chunks are missing from the object store";
            LOG.log(Level.WARNING, "{0} {1}: {2}", damage.kind(), damage.id(), reason);
            if (damage.kind() == StateKind.SNAPSHOT) {
                Ids.SNAPSHOT.parse(damage.id()).ifPresent(id -> snapshots.markDurable(id, false, reason));
            } else {
                sandboxes.forgetStoredPause(damage.id(), reason);
            }
        }
        return new Pass(deleted, chunks, damaged);
    }

    private int deleteOrphans(List<StoredManifest> manifests) throws StoreException {
        Instant cutoff = Instant.now().minus(grace);
        List<UUID> snapshotIds = new ArrayList<>();
        for (StoredManifest manifest : manifests) {
            if (manifest.kind() == StateKind.SNAPSHOT) {
                Ids.SNAPSHOT.parse(manifest.id()).ifPresent(snapshotIds::add);
            }
        }
        Set<UUID> liveSnapshots = snapshots.existing(snapshotIds);
        Set<String> livePauses = sandboxes.storedStateIds();
        int deleted = 0;
        for (StoredManifest manifest : manifests) {
            boolean owned = switch (manifest.kind()) {
                case SNAPSHOT -> Ids.SNAPSHOT.parse(manifest.id()).map(liveSnapshots::contains).orElse(false);
                case PAUSED_SANDBOX -> livePauses.contains(manifest.id());
            };
            if (!owned && madeBefore(manifest, cutoff)) {
                store.manifests().delete(manifest.kind(), manifest.id());
                deleted++;
            }
        }
        return deleted;
    }

    private static boolean madeBefore(StoredManifest manifest, Instant cutoff) {
        try {
            return Instant.parse(manifest.createdAt()).isBefore(cutoff);
        } catch (DateTimeParseException | NullPointerException e) {
            return true; // no date: not ours to keep
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
