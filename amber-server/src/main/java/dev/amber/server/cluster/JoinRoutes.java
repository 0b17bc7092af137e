package dev.amber.server.cluster;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.host.CreateJoinTokenRequest;
import dev.amber.api.host.CreatedJoinToken;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.auth.Caller;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.team.TeamRepository;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Join tokens: {@code POST /v1/admin/hosts/tokens} (a platform host, admins only) and
 * {@code POST /v1/hosts/tokens} (a host of the caller's team, if the team may bring its own).
 */
public final class JoinRoutes {

    static final Duration DEFAULT_TTL = Duration.ofHours(1);
    static final Duration MAX_TTL = Duration.ofDays(7);

    private final JoinTokens tokens;
    private final ClusterAuthority authority;
    private final TeamRepository teams;
    private final AuditLog audit;
    private final Requests requests;

    public JoinRoutes(JoinTokens tokens, ClusterAuthority authority, TeamRepository teams, AuditLog audit, Requests requests) {
        this.tokens = requireNonNull(tokens, "tokens");
        this.authority = requireNonNull(authority, "authority");
        this.teams = requireNonNull(teams, "teams");
        this.audit = requireNonNull(audit, "audit");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.post("/v1/admin/hosts/tokens", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            create(ctx, caller, null);
        });
        routes.post("/v1/hosts/tokens", ctx -> {
            Caller caller = Requests.caller(ctx);
            if (!teams.byoc(caller.teamId())) {
                throw new ApiException(ErrorCode.FORBIDDEN, "your team may not bring its own hosts; ask an admin to enable"
                        + " it (PUT /v1/admin/teams/{id}/byoc)");
            }
            create(ctx, caller, caller.teamId());
        });
    }

    /** {@code teamId}: null for a platform host. */
    private void create(Context ctx, Caller caller, UUID teamId) {
        Duration ttl = ttl(requests.optionalBody(ctx, CreateJoinTokenRequest.class, new CreateJoinTokenRequest(null)).ttlSec());
        JoinTokens.Issued issued = tokens.create(teamId, caller.keyId(), ttl, authority.fingerprint());
        audit.record(caller, "host.token.create", teamId == null ? "platform" : Ids.TEAM.format(teamId), "ok",
                Map.of("ttlSec", ttl.toSeconds(), "expiresAt", issued.expiresAt().toString()));
        ctx.status(201).json(new CreatedJoinToken(issued.token().text(), issued.expiresAt()));
    }

    private static Duration ttl(Integer seconds) {
        if (seconds == null) {
            return DEFAULT_TTL;
        }
        if (seconds < 1 || seconds > MAX_TTL.toSeconds()) {
            throw ApiException.badRequest("ttlSec must be between 1 and " + MAX_TTL.toSeconds() + " (7 days), got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
