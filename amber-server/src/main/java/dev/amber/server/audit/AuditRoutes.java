package dev.amber.server.audit;

import dev.amber.api.error.ApiException;
import dev.amber.server.Ids;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** {@code GET /v1/audit-log}: the audit log, newest first, filtered by team, action and time (admins only). */
public final class AuditRoutes {

    private final AuditLog log;

    public AuditRoutes(AuditLog log) {
        this.log = requireNonNull(log, "log");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/audit-log", ctx -> {
            Authenticator.requireAdmin(Requests.caller(ctx));
            AuditQuery query = new AuditQuery(team(ctx), ctx.queryParam("action"), instant(ctx, "since"),
                    instant(ctx, "until"));
            Requests.PageRequest page = Requests.page(ctx);
            ctx.json(page.toPage(log.list(query, page.offset(), page.limitPlusOne())));
        });
    }

    private static UUID team(Context ctx) {
        String team = ctx.queryParam("team");
        if (team == null) {
            return null;
        }
        return Ids.TEAM.parse(team).orElseThrow(() -> ApiException.badRequest(
                "query parameter \"team\" must be a team id (team-…), got \"" + team + "\""));
    }

    private static Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query parameter \"" + name
                    + "\" must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got \"" + value + "\"");
        }
    }
}
