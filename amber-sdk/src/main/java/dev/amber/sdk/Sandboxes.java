package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.SandboxView;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The team's sandboxes: create, find, list. */
public final class Sandboxes {

    private final Transport transport;

    Sandboxes(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    /** A new sandbox from the default template, with the template's resources; returns once it runs. */
    public Sandbox create() {
        return create(new CreateSandboxRequest(null, null, null, null, null, null, null, null, null, null, null, null));
    }

    /** A new sandbox as described; returns once it runs, waiting up to {@link AmberOptions#createTimeout()}. */
    public Sandbox create(CreateSandboxRequest request) {
        requireNonNull(request, "request");
        SandboxView view = transport.post(Endpoints.SANDBOXES, request, SandboxView.class,
                transport.options().createTimeout());
        return new Sandbox(transport, view);
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
}
