package dev.amber.server.team;

import dev.amber.api.error.ApiException;
import dev.amber.server.Ids;
import dev.amber.server.host.HostCleanups;
import dev.amber.server.host.HostException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Deletes a team and everything it owns: its keys first (nothing new starts), then the files of
 * its sandboxes, snapshots, checkpoints, build layers and template images on their hosts (recorded
 * for a host that is away, done when it registers again), then every row in one transaction (the
 * hosts the team brought stay as rows, removed), and the server lets go of those hosts. A
 * host failing half-way leaves the team (without keys) in place: deleting it again finishes the
 * work, since every removal on a host may be repeated.
 */
public final class TeamDeletion {

    private static final System.Logger LOG = System.getLogger("amber.team");

    /** Rows of the team, children before what they reference. */
    private static final List<String> ROWS = List.of(
            "delete from sandbox_metrics where team_id = :team",
            "delete from build_layers where team_id = :team",
            "delete from builds where team_id = :team",
            "update sandboxes set template_id = null where template_id in (select id from templates where team_id = :team)",
            "delete from templates where team_id = :team",
            "delete from snapshots where team_id = :team",
            "delete from sandboxes where team_id = :team",
            "delete from team_quotas where team_id = :team",
            "delete from api_keys where team_id = :team",
            "delete from users where team_id = :team",
            "delete from host_join_tokens where team_id = :team",
            "update hosts set state = 'removed', drained = true, team_id = null where team_id = :team",
            "delete from teams where id = :team");

    /** Something of the team that lives on a host. */
    private record OnHost(UUID hostId, HostCleanups.Kind kind, String objectId) {}

    private final Jdbi jdbi;
    private final HostCleanups cleanups;

    public TeamDeletion(Jdbi jdbi, HostCleanups cleanups) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.cleanups = requireNonNull(cleanups, "cleanups");
    }

    /**
     * Deletes team {@code teamId}: 404 when there is none, 409 for the platform team or while a build
     * of the team runs. The hosts the team brought (BYOC) are removed with it, once emptied: they
     * take no more calls and may not register again.
     *
     * @throws HostException a reachable host failed to remove something: the team stays, deletable again
     */
    public void delete(UUID teamId) throws HostException {
        requireNonNull(teamId, "teamId");
        String id = Ids.TEAM.format(teamId);
        if (teamId.equals(Ids.PLATFORM_TEAM)) {
            throw ApiException.conflict("the platform team owns the platform's templates and admins; it cannot be deleted");
        }
        jdbi.useTransaction(handle -> {
            if (handle.createQuery("select id from teams where id = :team for update").bind("team", teamId)
                    .mapTo(UUID.class).findOne().isEmpty()) {
                throw ApiException.notFound("no team " + id);
            }
            long running = count(handle, "select count(*) from builds where team_id = :team and status = 'running'", teamId);
            if (running > 0) {
                throw ApiException.conflict("team " + id + " has " + running + " template builds running; cancel them "
                        + "first (POST /v1/builds/{id}/cancel)");
            }
            handle.createUpdate("update builds set status = 'cancelled', finished_at = now() "
                    + "where team_id = :team and status = 'queued'").bind("team", teamId).execute();
            handle.createUpdate("delete from api_keys where team_id = :team").bind("team", teamId).execute();
        });
        List<OnHost> files = onHosts(teamId);
        for (OnHost file : files) {
            cleanups.removeOrRecord(file.hostId(), file.kind(), file.objectId());
        }
        List<UUID> ownHosts = jdbi.withHandle(handle -> handle.createQuery("select id from hosts where team_id = :team")
                .bind("team", teamId).mapTo(UUID.class).list());
        jdbi.useTransaction(handle -> ROWS.forEach(sql -> handle.createUpdate(sql).bind("team", teamId).execute()));
        cleanups.disconnect(ownHosts);
        LOG.log(System.Logger.Level.INFO, "team {0} deleted with {1} objects on hosts", id, files.size());
    }

    /** The team's sandboxes that hold a VM or files, then its snapshots (every kind), then its template images. */
    private List<OnHost> onHosts(UUID teamId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select host_id, 'SANDBOX' as kind, id, 1 as step, created_at from sandboxes
                            where team_id = :team and state <> 'stopped' and host_id is not null
                        union all
                        select host_id, 'SNAPSHOT', id, 2, created_at from snapshots
                            where team_id = :team and host_id is not null
                        union all
                        select host_id, 'IMAGE', image_id, 3, created_at from templates
                            where team_id = :team and image_id is not null and host_id is not null
                        order by step, created_at desc""")
                .bind("team", teamId)
                .map((rs, ctx) -> {
                    HostCleanups.Kind kind = HostCleanups.Kind.valueOf(rs.getString("kind"));
                    UUID object = rs.getObject("id", UUID.class);
                    Ids ids = switch (kind) {
                        case SANDBOX -> Ids.SANDBOX;
                        case SNAPSHOT -> Ids.SNAPSHOT;
                        case IMAGE -> Ids.IMAGE;
                    };
                    return new OnHost(rs.getObject("host_id", UUID.class), kind, ids.format(object));
                })
                .list());
    }

    private static long count(Handle handle, String sql, UUID teamId) {
        return handle.createQuery(sql).bind("team", teamId).mapTo(Long.class).one();
    }
}
