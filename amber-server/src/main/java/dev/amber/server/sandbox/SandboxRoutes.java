package dev.amber.server.sandbox;

import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.api.sandbox.UpdateSandboxRequest;
import dev.amber.server.http.RouteTable;
import dev.amber.server.http.Requests;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** {@code /v1/sandboxes}: create, list, get, update, delete, ping, pause, resume, network, exec. */
public final class SandboxRoutes {

    private static final String METADATA_FILTER = "metadata.";

    private final SandboxService service;
    private final SandboxPauses pauses;
    private final Requests requests;

    public SandboxRoutes(SandboxService service, SandboxPauses pauses, Requests requests) {
        this.service = requireNonNull(service, "service");
        this.pauses = requireNonNull(pauses, "pauses");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.post("/v1/sandboxes", ctx -> ctx.status(201).json(
                service.create(Requests.caller(ctx), requests.body(ctx, CreateSandboxRequest.class))));
        routes.get("/v1/sandboxes", ctx -> {
            Map<String, String> metadata = new LinkedHashMap<>();
            ctx.queryParamMap().forEach((name, values) -> {
                if (name.startsWith(METADATA_FILTER) && !values.isEmpty()) {
                    metadata.put(name.substring(METADATA_FILTER.length()), values.getFirst());
                }
            });
            ctx.json(service.list(Requests.caller(ctx), ctx.queryParam("state"), metadata, Requests.page(ctx)));
        });
        routes.get("/v1/sandboxes/{id}", ctx -> ctx.json(service.get(Requests.caller(ctx), ctx.pathParam("id"))));
        routes.patch("/v1/sandboxes/{id}", ctx -> {
            var caller = Requests.caller(ctx);
            String id = service.require(caller, ctx.pathParam("id")).wireId(); // 404 before the body is judged
            ctx.json(service.update(caller, id, requests.body(ctx, UpdateSandboxRequest.class)));
        });
        routes.post("/v1/sandboxes/{id}/ping", ctx -> ctx.json(service.ping(Requests.caller(ctx), ctx.pathParam("id"))));
        routes.delete("/v1/sandboxes/{id}", ctx -> {
            service.delete(Requests.caller(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.post("/v1/sandboxes/{id}/pause", ctx -> ctx.json(pauses.pause(Requests.caller(ctx), ctx.pathParam("id"))));
        routes.post("/v1/sandboxes/{id}/resume", ctx -> ctx.json(pauses.resume(Requests.caller(ctx), ctx.pathParam("id"))));
        routes.put("/v1/sandboxes/{id}/network", ctx -> {
            var caller = Requests.caller(ctx);
            SandboxRecord sandbox = service.settled(caller, ctx.pathParam("id")); // 404 before the body is judged
            ctx.json(service.setNetwork(caller, sandbox, requests.body(ctx, NetworkSettings.class)));
        });
        routes.post("/v1/sandboxes/{id}/exec", ctx -> ctx.json(service.exec(Requests.caller(ctx), ctx.pathParam("id"),
                requests.body(ctx, ExecRequest.class))));
    }
}
