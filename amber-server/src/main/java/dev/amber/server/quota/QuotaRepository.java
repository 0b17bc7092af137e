package dev.amber.server.quota;

import dev.amber.api.team.TeamQuota;
import dev.amber.api.team.TeamUsage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Teams' quotas, and what each team holds, counted in SQL from its sandboxes and snapshots. */
final class QuotaRepository {

    private final Jdbi jdbi;

    QuotaRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    Optional<TeamQuota> find(UUID teamId) {
        return jdbi.withHandle(handle -> find(handle, teamId, ""));
    }

    /** The team's quota, its row locked until the transaction of {@code handle} ends; empty when it has none. */
    Optional<TeamQuota> lock(Handle handle, UUID teamId) {
        return find(handle, teamId, " for update");
    }

    void set(UUID teamId, TeamQuota quota) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        insert into team_quotas (team_id, max_sandboxes, max_running_vcpus, max_memory_mib, max_snapshots,
                                                 max_snapshot_gib)
                        values (:team, :sandboxes, :vcpus, :memory, :snapshots, :gib)
                        on conflict (team_id) do update set max_sandboxes = excluded.max_sandboxes,
                            max_running_vcpus = excluded.max_running_vcpus, max_memory_mib = excluded.max_memory_mib,
                            max_snapshots = excluded.max_snapshots, max_snapshot_gib = excluded.max_snapshot_gib,
                            updated_at = now()""")
                .bind("team", teamId).bind("sandboxes", quota.maxSandboxes()).bind("vcpus", quota.maxRunningVcpus())
                .bind("memory", quota.maxMemoryMiB()).bind("snapshots", quota.maxSnapshots())
                .bind("gib", quota.maxSnapshotGiB())
                .execute());
    }

    TeamUsage usage(UUID teamId) {
        return jdbi.withHandle(handle -> usage(handle, teamId));
    }

    /**
     * What the team holds: sandboxes not deleted (paused ones keep their disk and state), the vCPUs and
     * memory of those with a VM (not
     * paused, stopped or failed), snapshots and checkpoints being taken or ready and their known size
     * (template layers belong to templates and do not count; nor do deleted ones kept hidden for
     * their users: the team deleted them, and a deletion must free quota).
     */
    TeamUsage usage(Handle handle, UUID teamId) {
        return handle.createQuery("""
                        select (select count(*) from sandboxes where team_id = :team and state <> 'stopped') as sandboxes,
                               s.vcpus, s.memory, n.snapshots, n.bytes
                        from (select coalesce(sum(vcpus), 0) as vcpus, coalesce(sum(memory_mb), 0) as memory
                              from sandboxes where team_id = :team
                              and state not in ('stopped', 'paused', 'error')) s,
                             (select count(*) as snapshots, coalesce(sum(size_bytes), 0) as bytes
                              from snapshots where team_id = :team and kind in ('snapshot', 'checkpoint')
                              and state in ('creating', 'ready') and not hidden) n""")
                .bind("team", teamId)
                .map((rs, ctx) -> new TeamUsage(rs.getInt("sandboxes"), rs.getInt("vcpus"), rs.getLong("memory"),
                        rs.getInt("snapshots"), QuotaCheck.gib(rs.getLong("bytes"))))
                .one();
    }

    private static Optional<TeamQuota> find(Handle handle, UUID teamId, String lock) {
        return handle.createQuery("""
                        select max_sandboxes, max_running_vcpus, max_memory_mib, max_snapshots, max_snapshot_gib
                        from team_quotas where team_id = :team""" + lock)
                .bind("team", teamId)
                .map((rs, ctx) -> new TeamQuota(integer(rs, "max_sandboxes"), integer(rs, "max_running_vcpus"),
                        integer(rs, "max_memory_mib"), integer(rs, "max_snapshots"), integer(rs, "max_snapshot_gib")))
                .findOne();
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, Integer.class);
    }
}
