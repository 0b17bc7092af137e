package dev.amber.server.metrics;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.metrics.MetricPoint;
import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.server.db.JsonColumns;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Stored tiers of sandboxes' metrics: one row per sandbox and range, its points as JSON. Rows
 * without an expiry belong to a paused sandbox; a deleted sandbox's day tier expires. Every query
 * filters by team in SQL.
 */
public final class MetricsRepository {

    private static final TypeReference<List<MetricPoint>> POINTS = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final JsonColumns columns;

    public MetricsRepository(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.columns = new JsonColumns(json);
    }

    /** Replaces the stored tiers named in {@code tiers}; they do not expire. */
    void save(UUID teamId, UUID sandboxId, List<SandboxMetrics> tiers) {
        jdbi.useTransaction(handle -> {
            for (SandboxMetrics tier : tiers) {
                handle.createUpdate("""
                                insert into sandbox_metrics (sandbox_id, team_id, tier, interval_ms, points)
                                values (:sandbox, :team, :tier, :interval, cast(:points as jsonb))
                                on conflict (sandbox_id, tier) do update
                                set interval_ms = excluded.interval_ms, points = excluded.points, expires_at = null,
                                    updated_at = now()
                                where sandbox_metrics.team_id = excluded.team_id""")
                        .bind("sandbox", sandboxId).bind("team", teamId).bind("tier", tier.range())
                        .bind("interval", tier.intervalMs()).bind("points", columns.write(tier.points()))
                        .execute();
            }
        });
    }

    /** Keeps only the tier {@code range} of a deleted sandbox, until {@code expiresAt}; drops expired tiers of any sandbox. */
    void retain(UUID teamId, UUID sandboxId, String range, Instant expiresAt) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("delete from sandbox_metrics where team_id = :team and sandbox_id = :sandbox and tier <> :tier")
                    .bind("team", teamId).bind("sandbox", sandboxId).bind("tier", range).execute();
            handle.createUpdate("""
                            update sandbox_metrics set expires_at = :expires, updated_at = now()
                            where team_id = :team and sandbox_id = :sandbox and tier = :tier""")
                    .bind("team", teamId).bind("sandbox", sandboxId).bind("tier", range)
                    .bind("expires", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)).execute();
            handle.createUpdate("delete from sandbox_metrics where expires_at <= now()").execute();
        });
    }

    /** The stored tier, unless it has expired. */
    Optional<SandboxMetrics> find(UUID teamId, UUID sandboxId, String range) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select interval_ms, points::text as points from sandbox_metrics
                        where team_id = :team and sandbox_id = :sandbox and tier = :tier
                          and (expires_at is null or expires_at > now())""")
                .bind("team", teamId).bind("sandbox", sandboxId).bind("tier", range)
                .map((rs, ctx) -> new SandboxMetrics(range, rs.getLong("interval_ms"), columns.read(rs.getString("points"), POINTS)))
                .findOne());
    }

    /** Whether any tier of the sandbox is stored and unexpired. */
    boolean has(UUID teamId, UUID sandboxId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select exists (select 1 from sandbox_metrics where team_id = :team and sandbox_id = :sandbox
                                       and (expires_at is null or expires_at > now()))""")
                .bind("team", teamId).bind("sandbox", sandboxId)
                .mapTo(Boolean.class).one());
    }

}
