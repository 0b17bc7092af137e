package dev.amber.server.durable;

import dev.amber.server.host.HostDirectory;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.store.DurableStore;
import dev.amber.store.Manifests;
import dev.amber.store.StoreSettings;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The control plane's side of the object store: the store itself, the copies that make snapshots
 * and pauses durable ({@link DurableCopies}, a sweep every {@link #COPY_SWEEP}) and the collector
 * that keeps the store to what the database says exists ({@link StoreCollector}, every
 * {@link #COLLECTION_PERIOD}).
 */
public final class ObjectStorage implements AutoCloseable {

    static final Duration COPY_SWEEP = Duration.ofSeconds(2);
    static final Duration COLLECTION_PERIOD = Duration.ofMinutes(10);

    private final DurableStore store;
    private DurableCopies copies;
    private StoreCollector collector;

    private ObjectStorage(DurableStore store) {
        this.store = store;
    }

    /** The store {@code settings} name, or none. */
    public static Optional<ObjectStorage> open(Optional<StoreSettings> settings) {
        return settings.map(DurableStore::open).map(ObjectStorage::new);
    }

    public Manifests manifests() {
        return store.manifests();
    }

    /** Starts copying and collecting. */
    public void start(Jdbi jdbi, SnapshotRepository snapshots, SandboxRepository sandboxes, HostDirectory hosts) {
        requireNonNull(jdbi, "jdbi");
        copies = new DurableCopies(jdbi, snapshots, sandboxes, hosts);
        collector = new StoreCollector(jdbi, store, snapshots, sandboxes, DurableStore.GRACE);
        copies.start(COPY_SWEEP);
        collector.start(COLLECTION_PERIOD);
    }

    @Override
    public void close() {
        if (copies != null) {
            copies.close();
            collector.close();
        }
        store.close();
    }
}
