package dev.amber.server.template;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.template.BuildLogLine;
import dev.amber.api.template.BuildStepView;
import dev.amber.server.WireName;
import dev.amber.server.db.JsonColumns;
import dev.amber.server.replica.Replica;
import dev.amber.server.template.TemplateRepository.Template;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Builds and their logs in PostgreSQL. The queue is the {@code queued} rows: a worker claims the
 * oldest of the team with the fewest running with {@code FOR UPDATE SKIP LOCKED}, so two workers (or two servers) never take the same
 * build, and a claimed build is {@code running} in the same statement.
 */
public final class BuildRepository {

    private static final String COLUMNS = """
            b.id, b.team_id, b.template_id, t.name as template_name, b.status, b.error, b.recipe, b.steps, b.attempts,
            b.cancel_requested, b.builder_id, b.created_at, b.started_at, b.finished_at""";
    private static final TypeReference<List<BuildStepView>> STEPS = new TypeReference<>() {};
    private static final TypeReference<Recipe> RECIPE = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final JsonColumns columns;
    private final UUID replica;

    /** {@code replica}: this server process's replica id, recorded with each build it claims. */
    public BuildRepository(Jdbi jdbi, ObjectMapper json, UUID replica) {
        this.replica = requireNonNull(replica, "replica");
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.columns = new JsonColumns(json);
    }

    /**
     * In one transaction: records template {@code name} of {@code owner} for the build (new, or the
     * existing one) and queues build {@code id} of it; empty, and nothing recorded, when a build of
     * that template is queued or running already (the template's row lock makes the check exact).
     */
    Optional<Template> queue(TemplateRepository templates, UUID id, TemplateOwner owner, String name, Recipe recipe) {
        return jdbi.inTransaction(handle -> {
            Template template = templates.upsertForBuild(handle, owner, name, recipe.kind(), recipe.vcpus(),
                    recipe.memoryMb(), recipe.diskSizeMb(), write(recipe), id);
            if (inProgress(handle, template.id()).isPresent()) {
                handle.rollback();
                return Optional.empty();
            }
            handle.createUpdate("""
                            insert into builds (id, team_id, template_id, status, recipe, steps)
                            values (:id, :team, :template, 'queued', cast(:recipe as jsonb), cast(:steps as jsonb))""")
                    .bind("id", id).bind("team", owner.teamId()).bind("template", template.id())
                    .bind("recipe", write(recipe)).bind("steps", write(RecipeChecker.pendingSteps(recipe))).execute();
            return Optional.of(template);
        });
    }

    /**
     * The next queued build, now running (one more attempt), or empty when the queue is empty: the
     * oldest of the team with the fewest builds running, so that one team's long queue does not
     * starve another team's single build. Running builds are counted as the claim starts: two
     * workers claiming at once may both favour the same team, once.
     */
    public Optional<BuildRecord> claimNext() {
        return jdbi.inTransaction(handle -> handle.createQuery("""
                        update builds set status = 'running', attempts = attempts + 1, started_at = now(),
                                          replica_id = :replica
                        where id = (select q.id from builds q
                                    left join (select team_id, count(*) as running from builds
                                               where status = 'running' group by team_id) r
                                        on r.team_id = q.team_id
                                    where q.status = 'queued'
                                    order by coalesce(r.running, 0), q.created_at, q.id
                                    for update of q skip locked limit 1)
                        returning id""")
                .bind("replica", replica).mapTo(UUID.class).findOne())
                .flatMap(this::find);
    }

    public Optional<BuildRecord> find(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS
                        + " from builds b join templates t on t.id = b.template_id where b.id = :id")
                .bind("id", id).map(this::record).findOne());
    }

    /** The build if the team may see it: its own or, for an admin, any. */
    public Optional<BuildRecord> findVisible(UUID teamId, UUID id) {
        return find(id).filter(build -> teamId == null || build.teamId().equals(teamId));
    }

    /** A team's builds, newest first; {@code teamId} null: every team's. */
    public List<BuildRecord> list(UUID teamId, int offset, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS
                        + " from builds b join templates t on t.id = b.template_id"
                        + (teamId == null ? "" : " where b.team_id = :team")
                        + " order by b.created_at desc offset :offset limit :limit")
                .bind("team", teamId).bind("offset", offset).bind("limit", limit)
                .map(this::record).list());
    }

    /** How many builds of every team are in each status. */
    public Map<BuildStatus, Integer> countByStatus() {
        Map<BuildStatus, Integer> counts = new EnumMap<>(BuildStatus.class);
        jdbi.useHandle(handle -> handle.createQuery("select status, count(*) as n from builds group by status")
                .map((rs, ctx) -> Map.entry(WireName.fromWireName(BuildStatus.class, rs.getString("status")),
                        rs.getInt("n")))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue())));
        return counts;
    }

    /** Whether a build of the template waits or runs. */
    public Optional<UUID> inProgress(UUID templateId) {
        return jdbi.withHandle(handle -> inProgress(handle, templateId));
    }

    private static Optional<UUID> inProgress(Handle handle, UUID templateId) {
        return handle.createQuery(
                        "select id from builds where template_id = :template and status in ('queued', 'running') limit 1")
                .bind("template", templateId).mapTo(UUID.class).findOne();
    }

    public void updateSteps(UUID id, List<BuildStepView> steps) {
        jdbi.useHandle(handle -> handle.createUpdate("update builds set steps = cast(:steps as jsonb) where id = :id")
                .bind("id", id).bind("steps", write(steps)).execute());
    }

    public void setBuilder(UUID id, UUID builderId) {
        jdbi.useHandle(handle -> handle.createUpdate("update builds set builder_id = :builder where id = :id")
                .bind("id", id).bind("builder", builderId).execute());
    }

    /** Ends a running build: succeeded, failed (with {@code error}) or cancelled. */
    public void finish(UUID id, BuildStatus status, String error, List<BuildStepView> steps) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update builds set status = :status, error = :error, steps = cast(:steps as jsonb),
                            finished_at = now()
                        where id = :id and status = 'running'""")
                .bind("id", id).bind("status", status.wireName()).bind("error", error).bind("steps", write(steps)).execute());
    }

    /**
     * Asks a build to stop: a queued one is cancelled at once (true; none of its steps ran, so all
     * are skipped), a running one at its next step; false when it has ended already.
     */
    public boolean requestCancel(UUID id) {
        return jdbi.inTransaction(handle -> {
            int queued = handle.createUpdate("""
                            update builds set status = 'cancelled', finished_at = now(), error = 'cancelled',
                                steps = (select coalesce(jsonb_agg(jsonb_set(step, '{status}', to_jsonb(cast(:skipped as text)))
                                                                   order by position), '[]'::jsonb)
                                         from jsonb_array_elements(steps) with ordinality as s(step, position))
                            where id = :id and status = 'queued'""")
                    .bind("skipped", StepStatus.SKIPPED.wireName())
                    .bind("id", id).execute();
            int running = handle.createUpdate(
                            "update builds set cancel_requested = true where id = :id and status = 'running'")
                    .bind("id", id).execute();
            return queued + running > 0;
        });
    }

    public boolean cancelRequested(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select cancel_requested from builds where id = :id")
                .bind("id", id).mapTo(Boolean.class).findOne().orElse(true));
    }

    /**
     * Builds a gone server process (replica) was running. Each goes back to the queue while it has
     * attempts left, else fails; returns them as they were.
     */
    public List<BuildRecord> requeueInterrupted(int maxAttempts) {
        return jdbi.inTransaction(handle -> {
            List<BuildRecord> interrupted = handle.createQuery("select " + COLUMNS
                            + " from builds b join templates t on t.id = b.template_id where b.status = 'running'"
                            + " and " + Replica.gone("b.replica_id") + " for update of b")
                    .map(this::record).list();
            handle.createUpdate("""
                            update builds set status = case when attempts < :max and not cancel_requested
                                                            then 'queued' else 'failed' end,
                                error = case when attempts < :max and not cancel_requested then null
                                             else 'the server stopped while it was running' end,
                                finished_at = case when attempts < :max and not cancel_requested then null else now() end,
                                builder_id = null
                            where id = any(:ids)""")
                    .bind("max", maxAttempts).bindArray("ids", UUID.class, interrupted.stream().map(BuildRecord::id).toList())
                    .execute();
            return interrupted;
        });
    }

    /** Appends to the build's log. */
    public void log(UUID buildId, Integer step, String stream, String text) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        insert into build_logs (build_id, step, stream, text) values (:build, :step, :stream, :text)""")
                .bind("build", buildId).bind("step", step).bind("stream", stream).bind("text", text).execute());
    }

    /** The log after {@code afterSeq}, oldest first, at most {@code limit} pieces. */
    public List<BuildLogLine> logs(UUID buildId, long afterSeq, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select seq, step, stream, text, created_at from build_logs
                        where build_id = :build and seq > :after order by seq limit :limit""")
                .bind("build", buildId).bind("after", afterSeq).bind("limit", limit)
                .map((rs, ctx) -> new BuildLogLine(rs.getLong("seq"), rs.getObject("step", Integer.class),
                        rs.getString("stream"), rs.getString("text"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list());
    }

    private BuildRecord record(ResultSet rs, StatementContext ctx) throws SQLException {
        return new BuildRecord(
                rs.getObject("id", UUID.class),
                rs.getObject("team_id", UUID.class),
                rs.getObject("template_id", UUID.class),
                rs.getString("template_name"),
                WireName.fromWireName(BuildStatus.class, rs.getString("status")),
                rs.getString("error"),
                columns.read(rs.getString("recipe"), RECIPE),
                columns.read(rs.getString("steps"), STEPS),
                rs.getInt("attempts"),
                rs.getBoolean("cancel_requested"),
                rs.getObject("builder_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class));
    }

    /** {@code value} as the JSON the build columns hold (recipes, steps). */
    String write(Object value) {
        return columns.write(value);
    }
}
