package dev.amber.server.metrics;

import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;

import static java.util.Objects.requireNonNull;

/** {@code GET /v1/sandboxes/{id}/metrics?range=10m|2h|24h}. */
public final class MetricsRoutes {

    private final SandboxMetricsQuery query;

    public MetricsRoutes(SandboxMetricsQuery query) {
        this.query = requireNonNull(query, "query");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/sandboxes/{id}/metrics", ctx -> ctx.json(
                query.get(Requests.caller(ctx), ctx.pathParam("id"), ctx.queryParam("range"))));
    }
}
