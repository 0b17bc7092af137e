package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.api.snapshot.CreatePatchRequest;
import dev.amber.api.snapshot.PatchView;
import dev.amber.api.snapshot.SnapshotView;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A saved machine state: a named snapshot, which outlives its sandbox and boots new ones with
 * {@link Sandboxes#fromSnapshot}, or a checkpoint, which belongs to its sandbox and rolls it back with
 * {@link Sandbox#restore}. {@link #view()} is what the server said when this handle was made or last
 * {@link #refresh() refreshed}. Unlike a sandbox handle it is not closeable: a snapshot is kept until
 * {@link #delete() deleted}.
 */
public final class Snapshot {

    /** The {@link SnapshotView#kind()} of a named snapshot. */
    public static final String KIND_SNAPSHOT = "snapshot";
    /** The {@link SnapshotView#kind()} of a checkpoint. */
    public static final String KIND_CHECKPOINT = "checkpoint";

    private final Transport transport;
    private final String id;
    private volatile SnapshotView view;

    Snapshot(Transport transport, SnapshotView view) {
        this.transport = requireNonNull(transport, "transport");
        this.view = requireNonNull(view, "view");
        this.id = requireNonNull(view.snapshotId(), "view.snapshotId");
    }

    public String id() {
        return id;
    }

    /** The team-unique name of a snapshot; null for a checkpoint. */
    public String name() {
        return view.name();
    }

    public boolean isCheckpoint() {
        return KIND_CHECKPOINT.equals(view.kind());
    }

    public SnapshotView view() {
        return view;
    }

    /** Fetches the snapshot again, updating {@link #view()}. */
    public SnapshotView refresh() {
        view = transport.get(Endpoints.snapshot(id), Query.empty(), SnapshotView.class);
        return view;
    }

    /** Deletes the saved state; a {@link dev.amber.sdk.error.ConflictException} while something still needs it. */
    public void delete() {
        transport.delete(Endpoints.snapshot(id), Query.empty());
    }

    /**
     * Adds a patch: a shell script that sandboxes based on this snapshot run, as root, when they
     * next wake (created from it or resumed); see {@link dev.amber.api.sandbox.SandboxView#patchError()}.
     */
    public PatchView addPatch(String script) {
        return transport.post(Endpoints.patches(id), new CreatePatchRequest(requireNonNull(script, "script")),
                PatchView.class, transport.options().requestTimeout());
    }

    /** The snapshot's patches, in sequence order. */
    public List<PatchView> patches() {
        return List.of(transport.get(Endpoints.patches(id), Query.empty(), PatchView[].class));
    }

    public void deletePatch(int sequence) {
        transport.delete(Endpoints.patch(id, sequence), Query.empty());
    }

    /** Every snapshot a list endpoint returns for {@code filter}, all pages, as handles. */
    static List<Snapshot> all(Transport transport, String path, Query filter) {
        Query query = filter.with("pageSize", Page.MAX_SIZE);
        return Pages.all(page -> transport.getPage(path, query.with("page", page), SnapshotView.class))
                .stream().map(view -> new Snapshot(transport, view)).toList();
    }
}
