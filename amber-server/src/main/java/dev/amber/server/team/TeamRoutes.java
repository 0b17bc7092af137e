package dev.amber.server.team;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.team.ApiKeyView;
import dev.amber.api.team.ByocSetting;
import dev.amber.api.team.CreateApiKeyRequest;
import dev.amber.api.team.CreateTeamRequest;
import dev.amber.api.team.CreatedApiKey;
import dev.amber.api.team.CreatedTeam;
import dev.amber.api.team.TeamQuota;
import dev.amber.api.team.TeamView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.auth.Caller;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.quota.TeamQuotas;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * {@code /v1/teams/me} (with its quota and usage), {@code /v1/api-keys}, and the admin's {@code /v1/admin/teams}
 * (create, list, quota, delete with everything the team owns).
 */
public final class TeamRoutes {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}");

    private final TeamRepository teams;
    private final ApiKeyRepository keys;
    private final AuditLog audit;
    private final Requests requests;
    private final TeamQuotas quotas;
    private final TeamDeletion deletion;

    public TeamRoutes(TeamRepository teams, ApiKeyRepository keys, AuditLog audit, Requests requests, TeamQuotas quotas,
                      TeamDeletion deletion) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.deletion = requireNonNull(deletion, "deletion");
        this.teams = requireNonNull(teams, "teams");
        this.keys = requireNonNull(keys, "keys");
        this.audit = requireNonNull(audit, "audit");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/teams/me", ctx -> {
            Caller caller = Requests.caller(ctx);
            TeamView team = view(teams.find(caller.teamId())
                    .orElseThrow(() -> ApiException.notFound("your team no longer exists")));
            ctx.json(new TeamView(team.id(), team.name(), team.createdAt(), quotas.quota(caller.teamId()),
                    quotas.usage(caller.teamId())));
        });
        routes.post("/v1/api-keys", ctx -> {
            Caller caller = Requests.caller(ctx);
            String name = name(requests.body(ctx, CreateApiKeyRequest.class).name());
            ApiKeyRepository.Created created = keys.create(caller.teamId(), null, name, false);
            audit.record(caller, "api-key.create", Ids.KEY.format(created.key().id()), "ok", Map.of("name", name));
            ctx.status(201).json(createdView(created));
        });
        routes.get("/v1/api-keys", ctx -> {
            Requests.PageRequest page = Requests.page(ctx);
            ctx.json(page.toPage(keys.list(Requests.caller(ctx).teamId(), page.offset(), page.limitPlusOne()).stream()
                    .map(key -> new ApiKeyView(Ids.KEY.format(key.id()), key.name(), key.prefix(), key.admin(),
                            key.createdAt(), key.lastUsedAt()))
                    .toList()));
        });
        routes.delete("/v1/api-keys/{id}", ctx -> {
            Caller caller = Requests.caller(ctx);
            String id = ctx.pathParam("id");
            boolean deleted = Ids.KEY.parse(id).map(key -> keys.delete(caller.teamId(), key)).orElse(false);
            if (!deleted) {
                throw ApiException.notFound("no API key " + id);
            }
            audit.record(caller, "api-key.delete", id, "ok", Map.of());
            ctx.status(204);
        });
        routes.post("/v1/admin/teams", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            String name = name(requests.body(ctx, CreateTeamRequest.class).name());
            TeamRepository.Team team = teams.create(name)
                    .orElseThrow(() -> new ApiException(ErrorCode.CONFLICT, "a team named \"" + name + "\" exists already"));
            ApiKeyRepository.Created key = keys.create(team.id(), null, "default", false);
            audit.record(caller, "team.create", Ids.TEAM.format(team.id()), "ok", Map.of("name", name));
            ctx.status(201).json(new CreatedTeam(view(team), createdView(key)));
        });
        routes.get("/v1/admin/teams", ctx -> {
            Authenticator.requireAdmin(Requests.caller(ctx));
            Requests.PageRequest page = Requests.page(ctx);
            ctx.json(page.toPage(teams.list(page.offset(), page.limitPlusOne()).stream().map(TeamRoutes::view).toList()));
        });
        routes.put("/v1/admin/teams/{id}/quota", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            String id = ctx.pathParam("id");
            UUID team = Ids.TEAM.parse(id).flatMap(teams::find).map(TeamRepository.Team::id)
                    .orElseThrow(() -> ApiException.notFound("no team " + id));
            TeamQuota quota = quotas.set(team, requests.body(ctx, TeamQuota.class));
            audit.record(caller, "team.quota", id, "ok", Map.of("quota", quota));
            ctx.json(quota);
        });
        routes.put("/v1/admin/teams/{id}/byoc", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            String id = ctx.pathParam("id");
            Boolean enabled = requests.body(ctx, ByocSetting.class).enabled();
            if (enabled == null) {
                throw ApiException.badRequest("enabled must be true or false");
            }
            if (!Ids.TEAM.parse(id).map(team -> teams.setByoc(team, enabled)).orElse(false)) {
                throw ApiException.notFound("no team " + id);
            }
            audit.record(caller, "team.byoc", id, "ok", Map.of("enabled", enabled));
            ctx.json(new ByocSetting(enabled));
        });
        routes.delete("/v1/admin/teams/{id}", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            String id = ctx.pathParam("id");
            deletion.delete(Ids.TEAM.parse(id).orElseThrow(() -> ApiException.notFound("no team " + id)));
            audit.record(caller, "team.delete", id, "ok", Map.of());
            ctx.status(204);
        });
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name must be 1-63 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static TeamView view(TeamRepository.Team team) {
        return new TeamView(Ids.TEAM.format(team.id()), team.name(), team.createdAt());
    }

    private static CreatedApiKey createdView(ApiKeyRepository.Created created) {
        return new CreatedApiKey(Ids.KEY.format(created.key().id()), created.key().name(), created.secret(),
                created.key().createdAt());
    }
}
