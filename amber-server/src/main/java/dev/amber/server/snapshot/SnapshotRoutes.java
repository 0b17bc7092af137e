package dev.amber.server.snapshot;

import dev.amber.api.snapshot.CreateSnapshotRequest;
import dev.amber.api.snapshot.ForkRequest;
import dev.amber.server.auth.Caller;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.sandbox.SandboxService;

import static java.util.Objects.requireNonNull;

/**
 * Checkpoints, rollback and forks under {@code /v1/sandboxes/{id}}; named snapshots there and under
 * {@code /v1/snapshots}. A sandbox route answers 404 for another team's sandbox before it judges a body.
 */
public final class SnapshotRoutes {

    private final SnapshotService snapshots;
    private final Forks forks;
    private final SandboxService sandboxes;
    private final Requests requests;

    public SnapshotRoutes(SnapshotService snapshots, Forks forks, SandboxService sandboxes, Requests requests) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.forks = requireNonNull(forks, "forks");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.post("/v1/sandboxes/{id}/checkpoints", ctx -> ctx.status(201).json(
                snapshots.checkpoint(Requests.caller(ctx), ctx.pathParam("id")).view()));
        routes.get("/v1/sandboxes/{id}/checkpoints", ctx -> ctx.json(
                snapshots.checkpoints(Requests.caller(ctx), ctx.pathParam("id"), Requests.page(ctx))));
        routes.post("/v1/sandboxes/{id}/checkpoints/{cp}/restore", ctx -> ctx.json(sandboxes.view(
                snapshots.restore(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("cp")))));
        routes.post("/v1/sandboxes/{id}/fork", ctx -> {
            Caller caller = Requests.caller(ctx);
            String id = sandboxes.require(caller, ctx.pathParam("id")).wireId();
            ForkRequest request = requests.optionalBody(ctx, ForkRequest.class, new ForkRequest(null));
            ctx.status(201).json(forks.fork(caller, id, request.count()));
        });
        routes.post("/v1/sandboxes/{id}/snapshots", ctx -> {
            Caller caller = Requests.caller(ctx);
            String id = sandboxes.require(caller, ctx.pathParam("id")).wireId();
            CreateSnapshotRequest request = requests.body(ctx, CreateSnapshotRequest.class);
            ctx.status(201).json(snapshots.snapshot(caller, id, request.name()).view());
        });
        routes.get("/v1/snapshots", ctx -> ctx.json(snapshots.list(Requests.caller(ctx), ctx.queryParam("sandboxId"),
                ctx.queryParam("kind"), Requests.page(ctx))));
        routes.get("/v1/snapshots/{idOrName}", ctx -> ctx.json(
                snapshots.get(Requests.caller(ctx), ctx.pathParam("idOrName"))));
        routes.delete("/v1/snapshots/{idOrName}", ctx -> {
            snapshots.delete(Requests.caller(ctx), ctx.pathParam("idOrName"));
            ctx.status(204);
        });
    }
}
