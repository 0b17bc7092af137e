package dev.amber.server.patch;

import dev.amber.api.snapshot.CreatePatchRequest;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;

import static java.util.Objects.requireNonNull;

/** {@code /v1/snapshots/{idOrName}/patches}. */
public final class PatchRoutes {

    private final PatchService patches;
    private final Requests requests;

    public PatchRoutes(PatchService patches, Requests requests) {
        this.patches = requireNonNull(patches, "patches");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.post("/v1/snapshots/{idOrName}/patches", ctx -> ctx.status(201).json(patches.add(Requests.caller(ctx),
                ctx.pathParam("idOrName"), requests.body(ctx, CreatePatchRequest.class))));
        routes.get("/v1/snapshots/{idOrName}/patches", ctx -> ctx.json(
                patches.list(Requests.caller(ctx), ctx.pathParam("idOrName"))));
        routes.delete("/v1/snapshots/{idOrName}/patches/{seq}", ctx -> {
            patches.delete(Requests.caller(ctx), ctx.pathParam("idOrName"), ctx.pathParam("seq"));
            ctx.status(204);
        });
    }
}
