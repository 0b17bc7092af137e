package dev.amber.server.template;

import dev.amber.api.template.TemplateView;
import dev.amber.server.Ids;
import dev.amber.server.WireName;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Templates in PostgreSQL: a team's own, and the platform's (team all-zero), of which every team
 * sees the published ones. Every lookup for a caller is scoped so in SQL ({@link #VISIBLE}).
 */
public final class TemplateRepository {

    /** The template every create without a source uses. */
    public static final String DEFAULT_TEMPLATE = "base";

    private static final String COLUMNS = """
            id, team_id, name, kind, state, state_reason, vcpus, memory_mb, disk_size_mb, snapshot_id, image_id, host_id,
            image_bytes, build_id, published, created_at""";

    /** The templates team {@code :team} sees: its own and the platform's published ones. */
    private static final String VISIBLE = "(team_id = :team or (team_id = :platform and published))";

    /**
     * A template. {@code snapshotId}: what sandboxes of a snapshot template start from;
     * {@code imageId}: the root disk sandboxes of a built image template boot, on {@code hostId}
     * (both null for {@code base}, which boots the guest image, and before a first build succeeded).
     * {@code published}: a platform template every team sees and starts sandboxes from.
     */
    public record Template(UUID id, UUID teamId, String name, TemplateKind kind, TemplateState state, String stateReason,
                           int vcpus,
                           int memoryMb, long diskSizeMb, UUID snapshotId, UUID imageId, UUID hostId, Long imageBytes,
                           UUID buildId, boolean published, OffsetDateTime createdAt) {

        /** The platform team's (published or not): only admins change it. */
        public boolean isPlatform() {
            return Ids.PLATFORM_TEAM.equals(teamId);
        }

        /** As its own team (or an admin) sees it. */
        public TemplateView view() {
            return viewFor(teamId);
        }

        /** As team {@code viewer} sees it: another team's view of a published template leaves out its build. */
        public TemplateView viewFor(UUID viewer) {
            return new TemplateView(Ids.TEMPLATE.format(id), name, kind.wireName(), state.wireName(), stateReason,
                    published, vcpus,
                    memoryMb, diskSizeMb, Ids.SNAPSHOT.format(snapshotId), imageBytes,
                    teamId.equals(viewer) ? Ids.BUILD.format(buildId) : null, createdAt.toInstant());
        }
    }

    private final Jdbi jdbi;

    public TemplateRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /** The team's template of that name, else the platform's published one. */
    public Optional<Template> findVisible(UUID teamId, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + " from templates where name = :name and "
                        + VISIBLE + " order by (team_id <> :team) limit 1")
                .bind("name", name).bind("team", teamId).bind("platform", Ids.PLATFORM_TEAM)
                .map(TemplateRepository::template)
                .findOne());
    }

    /** The template of exactly this owner (a team, or the platform) and name. */
    public Optional<Template> findOwned(UUID teamId, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS
                        + " from templates where name = :name and team_id = :team")
                .bind("name", name).bind("team", teamId)
                .map(TemplateRepository::template).findOne());
    }

    public Optional<Template> find(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + " from templates where id = :id")
                .bind("id", id).map(TemplateRepository::template).findOne());
    }

    /** The team's templates and the platform's published ones, by name; {@code teamId} null: every team's (for admins). */
    public List<Template> list(UUID teamId, int offset, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + " from templates"
                        + (teamId == null ? "" : " where " + VISIBLE)
                        + " order by name, team_id offset :offset limit :limit")
                .bind("team", teamId).bind("platform", Ids.PLATFORM_TEAM)
                .bind("offset", offset).bind("limit", limit)
                .map(TemplateRepository::template).list());
    }

    /**
     * A new template in state {@code building}, or the existing one of that owner and name (which
     * keeps serving its current snapshot while it is rebuilt), now pointing at {@code buildId} and
     * published as this build asks; its row stays locked until {@code handle}'s transaction ends.
     */
    Template upsertForBuild(Handle handle, TemplateOwner owner, String name, TemplateKind kind, int vcpus, int memoryMb,
                            long diskSizeMb, String recipeJson, UUID buildId) {
        return handle.createQuery("""
                        insert into templates (id, team_id, name, kind, state, vcpus, memory_mb, disk_size_mb, recipe,
                                               build_id, published)
                        values (:id, :team, :name, :kind, 'building', :vcpus, :memory, :disk, cast(:recipe as jsonb),
                                :build, :published)
                        on conflict (team_id, name) do update set build_id = excluded.build_id,
                            published = excluded.published
                        returning""" + " " + COLUMNS)
                .bind("id", UUID.randomUUID()).bind("team", owner.teamId()).bind("published", owner.published())
                .bind("name", name).bind("kind", kind.wireName())
                .bind("vcpus", vcpus).bind("memory", memoryMb).bind("disk", diskSizeMb).bind("recipe", recipeJson)
                .bind("build", buildId)
                .map(TemplateRepository::template).one();
    }

    /** A build succeeded: the template now starts sandboxes from {@code snapshotId}, with its resources. */
    public void built(UUID id, String recipeJson, UUID snapshotId, int vcpus, int memoryMb, long diskSizeMb) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update templates set state = 'ready', state_reason = null, snapshot_id = :snapshot,
                            image_id = null, host_id = null, image_bytes = null,
                            recipe = cast(:recipe as jsonb), vcpus = :vcpus, memory_mb = :memory, disk_size_mb = :disk
                        where id = :id""")
                .bind("id", id).bind("snapshot", snapshotId).bind("recipe", recipeJson).bind("vcpus", vcpus)
                .bind("memory", memoryMb).bind("disk", diskSizeMb).execute());
    }

    /** A build of an image template succeeded: its sandboxes boot {@code imageId} on {@code hostId}. */
    public void builtImage(UUID id, String recipeJson, UUID imageId, UUID hostId, long imageBytes, int vcpus,
                           int memoryMb, long diskSizeMb) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update templates set state = 'ready', state_reason = null, snapshot_id = null, image_id = :image,
                            host_id = :host, image_bytes = :bytes, recipe = cast(:recipe as jsonb), vcpus = :vcpus,
                            memory_mb = :memory, disk_size_mb = :disk
                        where id = :id""")
                .bind("id", id).bind("image", imageId).bind("host", hostId).bind("bytes", imageBytes)
                .bind("recipe", recipeJson).bind("vcpus", vcpus).bind("memory", memoryMb).bind("disk", diskSizeMb)
                .execute());
    }

    /**
     * Whether anything may still boot from image {@code imageId} or sit on it: a template pointing
     * at it, a sandbox not stopped that booted it, or a snapshot of a sandbox that did (its disk
     * layers sit on the image).
     */
    public boolean imageInUse(UUID imageId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select exists (select 1 from templates where image_id = :image)
                            or exists (select 1 from sandboxes where image_id = :image and state <> 'stopped')
                            or exists (select 1 from snapshots s join sandboxes x on x.id = s.sandbox_id
                                       where x.image_id = :image)""")
                .bind("image", imageId).mapTo(Boolean.class).one());
    }

    /** A build failed: a template that never had a snapshot or image is failed; one that has keeps serving it. */
    public void buildFailed(UUID id, String reason) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update templates set state = 'failed', state_reason = :reason
                        where id = :id and snapshot_id is null and image_id is null""")
                .bind("id", id).bind("reason", reason).execute());
    }

    /**
     * Removes the template's row (its builds go with it; its sandboxes, stopped or not, no longer
     * name it); false when it was gone already. Its snapshot is hidden, in the same transaction,
     * unless another template starts from it too: the collector deletes it once nothing uses it.
     */
    public boolean delete(UUID id, UUID snapshotId) {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("update sandboxes set template_id = null where template_id = :id")
                    .bind("id", id).execute();
            boolean deleted = handle.createUpdate("delete from templates where id = :id").bind("id", id).execute() > 0;
            if (deleted && snapshotId != null) {
                handle.createUpdate("""
                                update snapshots set hidden = true, name = null where id = :snapshot
                                and not exists (select 1 from templates where snapshot_id = :snapshot)""")
                        .bind("snapshot", snapshotId).execute();
            }
            return deleted;
        });
    }

    /** An image on {@code hostId} that no template points at any more. */
    record OrphanImage(UUID imageId, UUID hostId) {}

    /**
     * Images whose template went while sandboxes booted them (or was rebuilt onto another image),
     * now unused (see {@link #imageInUse}): a stopped sandbox still records it, and where it ran.
     */
    List<OrphanImage> orphanImages() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select distinct x.image_id, x.host_id from sandboxes x
                        where x.state = 'stopped' and x.image_id is not null and x.host_id is not null
                        and not exists (select 1 from templates t where t.image_id = x.image_id)
                        and not exists (select 1 from sandboxes y where y.image_id = x.image_id and y.state <> 'stopped')
                        and not exists (select 1 from snapshots s join sandboxes z on z.id = s.sandbox_id
                                        where z.image_id = x.image_id)""")
                .map((rs, ctx) -> new OrphanImage(rs.getObject("image_id", UUID.class), rs.getObject("host_id", UUID.class)))
                .list());
    }

    /** The image's files are gone: the stopped sandboxes that booted it stop recording it. */
    void forgetImage(UUID imageId) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update sandboxes set image_id = null where image_id = :image and state = 'stopped'")
                .bind("image", imageId).execute());
    }

    private static Template template(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Template(
                rs.getObject("id", UUID.class),
                rs.getObject("team_id", UUID.class),
                rs.getString("name"),
                WireName.fromWireName(TemplateKind.class, rs.getString("kind")),
                WireName.fromWireName(TemplateState.class, rs.getString("state")),
                rs.getString("state_reason"),
                rs.getInt("vcpus"),
                rs.getInt("memory_mb"),
                rs.getLong("disk_size_mb"),
                rs.getObject("snapshot_id", UUID.class),
                rs.getObject("image_id", UUID.class),
                rs.getObject("host_id", UUID.class),
                rs.getObject("image_bytes", Long.class),
                rs.getObject("build_id", UUID.class),
                rs.getBoolean("published"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
