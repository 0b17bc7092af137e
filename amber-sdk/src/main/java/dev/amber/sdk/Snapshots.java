package dev.amber.sdk;

import dev.amber.api.snapshot.SnapshotView;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The team's snapshots and checkpoints: find, list, delete. They are taken from a running sandbox
 * with {@link Sandbox#snapshot} and {@link Sandbox#checkpoint}; a snapshot is referred to by its id or
 * its name.
 */
public final class Snapshots {

    private final Transport transport;

    Snapshots(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    public Snapshot get(String idOrName) {
        return new Snapshot(transport, transport.get(Endpoints.snapshot(idOrName), Query.empty(), SnapshotView.class));
    }

    /** Every snapshot and checkpoint of the team, all pages. */
    public List<Snapshot> list() {
        return list(SnapshotFilter.all());
    }

    /** Every snapshot and checkpoint matching {@code filter}, all pages. */
    public List<Snapshot> list(SnapshotFilter filter) {
        return Snapshot.all(transport, Endpoints.SNAPSHOTS, requireNonNull(filter, "filter").toQuery());
    }

    /** Deletes a snapshot or checkpoint; a {@link dev.amber.sdk.error.ConflictException} while something still needs it. */
    public void delete(String idOrName) {
        transport.delete(Endpoints.snapshot(idOrName), Query.empty());
    }
}
