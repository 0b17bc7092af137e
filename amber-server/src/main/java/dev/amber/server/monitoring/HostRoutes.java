package dev.amber.server.monitoring;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.host.DrainHostRequest;
import dev.amber.api.host.HostView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostPlatformFacts;
import dev.amber.server.host.HostRepository;
import dev.amber.server.host.HostState;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.sandbox.SandboxPauses;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * {@code /v1/hosts}: the machines that run sandboxes, their state, accelerator, version, capacity,
 * load and platform as their newest heartbeat said (an admin sees all, a team the hosts it brought); {@code /v1/admin/hosts/{id}/drain} takes a host
 * out of placement (pausing its sandboxes if asked); {@code DELETE /v1/admin/hosts/{id}} removes a
 * drained host that holds no sandbox.
 */
public final class HostRoutes {

    private final HostRepository hosts;
    private final HostDirectory directory;
    private final SandboxPauses pauses;
    private final AuditLog audit;
    private final Requests requests;

    public HostRoutes(HostRepository hosts, HostDirectory directory, SandboxPauses pauses, AuditLog audit,
                      Requests requests) {
        this.hosts = requireNonNull(hosts, "hosts");
        this.directory = requireNonNull(directory, "directory");
        this.pauses = requireNonNull(pauses, "pauses");
        this.audit = requireNonNull(audit, "audit");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/hosts", ctx -> {
            Caller caller = Requests.caller(ctx);
            Requests.PageRequest page = Requests.page(ctx);
            ctx.json(page.toPage((caller.admin() ? hosts.list() : hosts.listOfTeam(caller.teamId())).stream().skip(page.offset()).limit(page.limitPlusOne())
                    .map(this::withHeartbeat).toList()));
        });
        routes.post("/v1/admin/hosts/{id}/drain", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            DrainHostRequest request = requests.optionalBody(ctx, DrainHostRequest.class, new DrainHostRequest(false));
            String id = ctx.pathParam("id");
            UUID host = Ids.HOST.parse(id).filter(hosts::drain).orElseThrow(() -> ApiException.notFound("no host " + id
                    + " (or it was removed)"));
            directory.drained(host);
            int paused = request.pausing() ? pauses.pauseAllOn(host) : 0;
            audit.record(caller, "host.drain", id, "ok", Map.of("pauseSandboxes", request.pausing(), "paused", paused));
            ctx.json(view(host));
        });
        routes.delete("/v1/admin/hosts/{id}", ctx -> {
            Caller caller = Requests.caller(ctx);
            Authenticator.requireAdmin(caller);
            String id = ctx.pathParam("id");
            UUID host = Ids.HOST.parse(id).orElseThrow(() -> ApiException.notFound("no host " + id));
            HostRepository.HostRow row = hosts.find(host).orElseThrow(() -> ApiException.notFound("no host " + id));
            if (row.state() != HostState.REMOVED && !hosts.remove(host)) {
                throw new ApiException(ErrorCode.CONFLICT, holder(row));
            }
            directory.removed(host);
            audit.record(caller, "host.delete", id, "ok", Map.of());
            ctx.status(204);
        });
    }

    /** Why a host cannot be removed: it is not drained, or sandboxes still live on it. */
    private String holder(HostRepository.HostRow row) {
        String id = Ids.HOST.format(row.id());
        if (!row.drained()) {
            return "host " + id + " is not drained; drain it first (POST /v1/admin/hosts/" + id + "/drain)";
        }
        return "host " + id + " still holds " + hosts.activeSandboxes(row.id()) + " sandboxes that are not stopped "
                + "(running, paused or in transition); delete them first";
    }

    private HostView view(UUID host) {
        String id = Ids.HOST.format(host);
        return hosts.list().stream().filter(view -> view.id().equals(id)).findFirst().map(this::withHeartbeat)
                .orElseThrow(() -> ApiException.notFound("no host " + id));
    }

    /**
     * The row, with the state and newest heartbeat this server process has of the host (each
     * replica has its own link to each host); one that never registered here is unreachable from here.
     */
    private HostView withHeartbeat(HostView host) {
        Optional<UUID> id = Ids.HOST.parse(host.id());
        HostView seen = host.state().equals(HostState.REMOVED.wireName()) ? host
                : host.withState(id.flatMap(directory::state).orElse(HostState.UNREACHABLE).wireName());
        return id.flatMap(directory::newestHeartbeat)
                .map(beat -> seen.withHeartbeat(beat.agentVersion().isEmpty() ? null : beat.agentVersion(),
                        beat.receivedAt(), beat.load(), beat.platform().map(HostPlatformFacts::platform).orElse(null)))
                .orElse(seen);
    }
}
