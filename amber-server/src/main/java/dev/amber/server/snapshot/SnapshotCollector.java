package dev.amber.server.snapshot;

import dev.amber.api.error.ApiException;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.sandbox.UnusedCheckpoints;
import dev.amber.store.Manifests;
import dev.amber.store.StateKind;
import dev.amber.store.StoreException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Deletes snapshots that nothing uses: one a user deletes, and the checkpoints left behind by
 * deleted sandboxes. The files go first (on the snapshot's host), then the row; while the host
 * works the row is {@code deleting}, so nothing starts to use it.
 */
public final class SnapshotCollector implements UnusedCheckpoints {

    private static final System.Logger LOG = System.getLogger("amber.snapshot");

    private final SnapshotRepository snapshots;
    private final HostDirectory hosts;
    private final Optional<Manifests> stored;

    /** {@code stored}: the object store's manifests, where a deleted snapshot's copy goes too. */
    public SnapshotCollector(SnapshotRepository snapshots, HostDirectory hosts, Optional<Manifests> stored) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.hosts = requireNonNull(hosts, "hosts");
        this.stored = requireNonNull(stored, "stored");
    }

    /** Deletes a snapshot's files and row; 409 saying what uses it, or why it cannot go now. */
    public void delete(SnapshotRecord snapshot) throws HostException {
        SnapshotRepository.DeletionClaim claim = snapshots.claimForDeletion(snapshot.id());
        if (!claim.claimed()) {
            throw refusal(snapshot, claim);
        }
        try {
            hosts.require(snapshot.hostId()).snapshots().delete(snapshot.wireId());
        } catch (HostException | RuntimeException e) {
            snapshots.releaseClaim(snapshot.id(), claim.previous());
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
     * Deletes every checkpoint whose sandbox is stopped and that nothing uses, round after round:
     * deleting one can free the one its disk layer sat on, so the last user of a chain frees it
     * all. A checkpoint that cannot be deleted now (its host is away) waits for the next collection.
     */
    @Override
    public void collect() {
        boolean progress = true;
        while (progress) {
            progress = false;
            List<SnapshotRecord> unused = snapshots.collectable();
            for (SnapshotRecord checkpoint : unused) {
                try {
                    delete(checkpoint);
                    progress = true;
                } catch (HostException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not collect checkpoint {0}: {1}", checkpoint.wireId(),
                            e.getMessage());
                }
            }
        }
    }

    private static ApiException refusal(SnapshotRecord snapshot, SnapshotRepository.DeletionClaim claim) {
        String what = snapshot.kind().wireName() + " " + snapshot.wireId();
        if (claim.previous() == null) {
            return ApiException.notFound("no snapshot " + snapshot.wireId());
        }
        return switch (claim.previous()) {
            case CREATING -> ApiException.conflict(what + " is still being created; delete it once it is ready");
            case DELETING -> ApiException.conflict(what + " is being deleted already");
            case READY, FAILED -> ApiException.conflict(what + " is in use by " + users(claim) + "; delete "
                    + (claim.sandboxes() + claim.snapshots() + claim.templates() == 1 ? "it" : "them") + " first");
        };
    }

    private static String users(SnapshotRepository.DeletionClaim claim) {
        return Stream.of(
                        count(claim.sandboxes(), " sandbox", " sandboxes", ""),
                        count(claim.snapshots(), " snapshot", " snapshots", " built on it"),
                        count(claim.templates(), " template", " templates", " starting from it"))
                .filter(Objects::nonNull)
                .collect(Collectors.joining(" and "));
    }

    private static String count(long count, String one, String many, String suffix) {
        return count == 0 ? null : count + (count == 1 ? one : many) + suffix;
    }
}
