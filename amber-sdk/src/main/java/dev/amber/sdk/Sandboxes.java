package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.SandboxView;
import dev.amber.api.snapshot.SnapshotView;

import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** The team's sandboxes: create, from scratch or from a snapshot, find, list. */
public final class Sandboxes {

    private final Transport transport;

    Sandboxes(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    /** A new sandbox from the default template, with the template's resources; returns once it runs. */
    public Sandbox create() {
        return create(CreateSandboxRequest.builder().build());
    }

    /**
     * A new sandbox as {@code options} set it on a {@link CreateSandboxRequest.Builder}, e.g.
     * {@code create(request -> request.fromTemplate("python").memoryMb(1024).metadata(Map.of("owner", "ci")))};
     * then as {@link #create(CreateSandboxRequest)}.
     *
     * @throws IllegalStateException when {@code options} set two sources
     */
    public Sandbox create(Consumer<CreateSandboxRequest.Builder> options) {
        CreateSandboxRequest.Builder builder = CreateSandboxRequest.builder();
        requireNonNull(options, "options").accept(builder);
        return create(builder.build());
    }

    /**
     * A new sandbox as described: from a template, an image or a snapshot (by id); returns once it runs,
     * waiting up to {@link AmberOptions#createTimeout()}. With {@code wait} false in the request it
     * returns at once, in state {@code creating}; calls on it then wait until it runs.
     */
    public Sandbox create(CreateSandboxRequest request) {
        requireNonNull(request, "request");
        SandboxView view = transport.post(Endpoints.SANDBOXES, request, SandboxView.class,
                transport.options().createTimeout());
        return new Sandbox(transport, view);
    }

    /**
     * A new sandbox from a snapshot, by its id or name: it starts where the snapshot's sandbox was,
     * memory and processes included, with the snapshot's vCPUs and memory.
     */
    public Sandbox fromSnapshot(String snapshotIdOrName) {
        // Looked up first: the create request takes an id, and a name is what people remember.
        SnapshotView snapshot = transport.get(Endpoints.snapshot(snapshotIdOrName), Query.empty(), SnapshotView.class);
        return fromSnapshotId(snapshot.snapshotId());
    }

    /**
     * A new sandbox from template {@code name}: a snapshot template's starts with the processes its
     * recipe left running, an image template's boots.
     */
    public Sandbox fromTemplate(String name) {
        return create(CreateSandboxRequest.builder().fromTemplate(name).build());
    }

    /** A new sandbox from {@code snapshot}, as {@link #fromSnapshot(String)}. */
    public Sandbox fromSnapshot(Snapshot snapshot) {
        return fromSnapshotId(requireNonNull(snapshot, "snapshot").id());
    }

    public Sandbox get(String id) {
        return new Sandbox(transport, transport.get(Endpoints.sandbox(id), Query.empty(), SandboxView.class));
    }

    /** Every sandbox of the team, all pages. */
    public List<Sandbox> list() {
        return list(SandboxFilter.all());
    }

    /** Every sandbox matching {@code filter}, all pages. */
    public List<Sandbox> list(SandboxFilter filter) {
        Query query = requireNonNull(filter, "filter").toQuery().with("pageSize", Page.MAX_SIZE);
        return Pages.all(page -> transport.getPage(Endpoints.SANDBOXES, query.with("page", page), SandboxView.class))
                .stream().map(view -> new Sandbox(transport, view)).toList();
    }

    private Sandbox fromSnapshotId(String snapshotId) {
        return create(CreateSandboxRequest.builder().fromSnapshot(snapshotId).build());
    }
}
