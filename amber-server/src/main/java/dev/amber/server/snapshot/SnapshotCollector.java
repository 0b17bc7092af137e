package dev.amber.server.snapshot;

import dev.amber.api.error.ApiException;
import dev.amber.server.host.HostCleanups;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.store.Manifests;
import dev.amber.store.StateKind;
import dev.amber.store.StoreException;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Deletes snapshots that nothing uses: one a user deletes, the ones a user deleted while something
 * still needed them (hidden since), and the checkpoints left behind by deleted sandboxes. The files
 * go first (on the snapshot's host), then the row; while the host works the row is
 * {@code deleting}, so nothing starts to use it.
 */
public final class SnapshotCollector {

    private static final System.Logger LOG = System.getLogger("amber.snapshot");

    /** Removes a claimed snapshot's files from its host. */
    @FunctionalInterface
    private interface FileRemoval {
        void run() throws HostException;
    }

    private final SnapshotRepository snapshots;
    private final HostDirectory hosts;
    private final HostCleanups cleanups;
    private final Optional<Manifests> stored;

    /**
     * {@code cleanups}: where a user's deletion leaves the files of a host that is away;
     * {@code stored}: the object store's manifests, where a deleted snapshot's copy goes too.
     */
    public SnapshotCollector(SnapshotRepository snapshots, HostDirectory hosts, HostCleanups cleanups,
                             Optional<Manifests> stored) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.hosts = requireNonNull(hosts, "hosts");
        this.cleanups = requireNonNull(cleanups, "cleanups");
        this.stored = requireNonNull(stored, "stored");
    }

    /**
     * A user deletes a snapshot: its files and row go now if nothing uses it (the files of a host
     * that is away go when it registers again: a lost machine does not keep a snapshot alive);
     * otherwise it is hidden (gone for users) and {@link #collect} deletes it once its last user
     * goes. 409 while it is being made or deleted; 404 when it is gone.
     */
    public void delete(SnapshotRecord snapshot) throws HostException {
        SnapshotRepository.DeletionClaim claim = snapshots.claimOrHide(snapshot.id());
        String what = snapshot.kind().wireName() + " " + snapshot.wireId();
        switch (claim.claim()) {
            case CLAIMED -> deleteClaimed(snapshot, claim.previous(),
                    () -> cleanups.removeOrRecord(snapshot.hostId(), HostCleanups.Kind.SNAPSHOT, snapshot.wireId()));
            case HIDDEN -> LOG.log(System.Logger.Level.INFO, "{0} hidden: still in use, deleted once unused", what);
            case GONE -> throw ApiException.notFound("no snapshot " + snapshot.wireId());
            case BUSY -> throw ApiException.conflict(claim.previous() == SnapshotRecord.State.CREATING
                    ? what + " is still being created; delete it once it is ready" : what + " is being deleted already");
            case IN_USE -> throw new IllegalStateException("a user's deletion hides what is in use");
        }
    }

    /** Deletes the files of a snapshot claimed for deletion, then its row; the claim is released if that fails. */
    private void deleteClaimed(SnapshotRecord snapshot, SnapshotRecord.State previous, FileRemoval removeFiles)
            throws HostException {
        try {
            removeFiles.run();
        } catch (HostException | RuntimeException e) {
            snapshots.releaseClaim(snapshot.id(), previous);
            throw e;
        }
        snapshots.delete(snapshot.id());
        forgetCopies(snapshot);
        LOG.log(System.Logger.Level.INFO, "{0} {1} deleted", snapshot.kind().wireName(), snapshot.wireId());
    }

    /**
     * Removes the snapshot's copy in the object store and those other hosts fetched from it. Best
     * effort: the store's collector removes a manifest left behind, and a host's copy is only a cache.
     */
    private void forgetCopies(SnapshotRecord snapshot) {
        if (stored.isEmpty() || !snapshot.durable()) {
            return;
        }
        try {
            stored.get().delete(StateKind.SNAPSHOT, snapshot.wireId());
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the stored copy of {0} (the collector will): {1}",
                    snapshot.wireId(), e.getMessage());
        }
        for (UUID host : hosts.connected()) {
            if (!host.equals(snapshot.hostId())) {
                try {
                    hosts.require(host).snapshots().delete(snapshot.wireId());
                } catch (HostException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not drop host {0}''s copy of {1}: {2}", host,
                            snapshot.wireId(), e.getMessage());
                }
            }
        }
    }

    /**
     * Deletes every snapshot that nothing uses and no one can want (hidden ones, checkpoints of
     * stopped sandboxes), round after round: deleting one can free the one its disk layer sat on, so
     * the last user of a chain frees it all. One whose host is not connected, or fails, waits for the
     * next collection: after a sandbox or snapshot is deleted, and when its host registers.
     */
    public void collect() {
        collect(hosts::client);
    }

    /**
     * A collection as {@link #collect} while host {@code hostId} registers (through {@code client}):
     * after a server restart, what a crash left between a deletion and its collection goes now.
     */
    public void collectOnRegistration(UUID hostId, HostClient client) {
        collect(host -> host.equals(hostId) ? Optional.of(client) : hosts.client(host));
    }

    private void collect(Function<UUID, Optional<HostClient>> clients) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SnapshotRecord unused : snapshots.collectable()) {
                Optional<HostClient> host = Optional.ofNullable(unused.hostId()).flatMap(clients);
                if (host.isEmpty()) {
                    continue;
                }
                SnapshotRepository.DeletionClaim claim = snapshots.claimUnused(unused.id());
                if (claim.claim() != SnapshotRepository.Claim.CLAIMED) {
                    continue; // used again, or taken by another replica's collection meanwhile
                }
                try {
                    deleteClaimed(unused, claim.previous(), () -> host.get().snapshots().delete(unused.wireId()));
                    progress = true;
                } catch (HostException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not collect {0} {1}: {2}", unused.kind().wireName(),
                            unused.wireId(), e.getMessage());
                }
            }
        }
    }
}
