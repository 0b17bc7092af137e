package dev.amber.server.snapshot;

import dev.amber.server.host.HostSnapshots.SnapshotOutcome;
import dev.amber.server.host.SavedPlatform;
import dev.amber.server.replica.Replica;
import dev.amber.server.sandbox.SandboxRecord;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Snapshots and checkpoints in PostgreSQL, and the bookkeeping of disk layers. Every lookup for a
 * caller is scoped to the caller's team in SQL, the platform team's included: its snapshots reach
 * other teams only as the snapshots of published templates, through the template ({@link #find}).
 * No lookup finds a hidden snapshot: one its user deleted while something still needed it.
 * What uses a snapshot is counted across teams, because a published template's snapshot has users
 * in every team; those queries say only whether anything does.
 */
public final class SnapshotRepository {

    /** Ends with a line break, so a query can continue right after it. */
    private static final String COLUMNS = """
            s.id, s.team_id, s.name, s.kind, s.state, s.state_reason, s.sandbox_id, s.based_on, s.disk_parent_id,
            s.host_id, s.vcpus, s.memory_mb, s.disk_size_mb, s.size_bytes, s.pause_window_ms, s.created_at,
            s.durable, s.durable_error, s.platform ->> 'machineType' as machine_type,
            s.platform ->> 'cpuModel' as cpu_model, s.platform ->> 'accelerator' as accelerator
            """;

    /**
     * The sandboxes that use snapshot {@code %1$s}: every one not stopped that sits on its disk
     * layer, is based on it or was created from it (and may be restoring from it right now).
     */
    private static final String SANDBOX_USERS = """
            from sandboxes x where x.state <> 'stopped'
            and (x.disk_base_id = %1$s or x.based_on = %1$s or x.snapshot_id = %1$s)""";

    /** The snapshots whose disk layer sits on snapshot {@code %1$s}'s, and the templates that start from it. */
    private static final String SNAPSHOT_USERS = "from snapshots c where c.disk_parent_id = %1$s";
    private static final String TEMPLATE_USERS = "from templates t where t.snapshot_id = %1$s";

    /**
     * What a deletion did to the row: {@code CLAIMED}: it is now {@code deleting}, its files are the
     * caller's to delete; {@code HIDDEN}: something still needs it, so it is hidden until the collector
     * finds it unused; {@code IN_USE}: something needs it and it stays as it was (a collection);
     * {@code BUSY}: it is being made or deleted; {@code GONE}: there is no such row.
     */
    public enum Claim { CLAIMED, HIDDEN, IN_USE, BUSY, GONE }

    /** A {@link Claim} and the state the row was in before it. */
    public record DeletionClaim(Claim claim, SnapshotRecord.State previous) {}

    private final Jdbi jdbi;
    private final UUID replica;

    /** {@code replica}: this server process's replica id, recorded with each making or deleting it begins. */
    public SnapshotRepository(Jdbi jdbi, UUID replica) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.replica = requireNonNull(replica, "replica");
    }

    /**
     * Records a snapshot of {@code sandbox} in state {@code creating}, with the sandbox's host and
     * resources; empty when the team has a snapshot of that name already. {@code admit} runs first
     * in the same transaction (a quota check: it throws to refuse).
     */
    public Optional<SnapshotRecord> insert(SnapshotRecord.Kind kind, String name, SandboxRecord sandbox,
                                           Consumer<Handle> admit) {
        return jdbi.inTransaction(handle -> {
            admit.accept(handle);
            return handle.createQuery("""
                        insert into snapshots as s (id, team_id, name, kind, state, sandbox_id, host_id, vcpus, memory_mb,
                                                    disk_size_mb, replica_id)
                        values (:id, :team, :name, :kind, 'creating', :sandbox, :host, :vcpus, :memory, :disk, :replica)
                        on conflict (team_id, name) where name is not null do nothing
                        returning""" + " " + COLUMNS)
                .bind("id", UUID.randomUUID()).bind("team", sandbox.teamId()).bind("name", name)
                .bind("kind", kind.wireName()).bind("sandbox", sandbox.id()).bind("host", sandbox.hostId())
                .bind("vcpus", sandbox.vcpus()).bind("memory", sandbox.memoryMb()).bind("disk", sandbox.diskSizeMb())
                .bind("replica", replica).map(SnapshotRepository::record).findOne();
        });
    }

    /**
     * The host saved the snapshot: it is ready with what the host reported, saved on
     * {@code platform} (empty: not known), its layer sits on the one its sandbox sat on, it carries
     * the sandbox's lineage, and the sandbox's overlay now sits on its layer.
     */
    public SnapshotRecord markReady(UUID id, SnapshotOutcome outcome, Optional<SavedPlatform> platform) {
        return jdbi.inTransaction(handle -> {
            SnapshotRecord ready = handle.createQuery("""
                            update snapshots s set state = 'ready', state_reason = null, vcpus = :vcpus,
                                memory_mb = :memory, disk_size_mb = :disk, size_bytes = :size, pause_window_ms = :pause,
                                disk_parent_id = x.disk_base_id, based_on = x.based_on,
                                platform = case when cast(:machineType as text) is null then null
                                    else jsonb_build_object('machineType', cast(:machineType as text),
                                        'cpuModel', cast(:cpuModel as text), 'accelerator', cast(:accelerator as text)) end
                            from sandboxes x where s.id = :id and x.id = s.sandbox_id
                            returning""" + " " + COLUMNS)
                    .bind("id", id).bind("vcpus", outcome.vcpus()).bind("memory", outcome.memoryMb())
                    .bind("disk", outcome.diskSizeMb()).bind("size", outcome.sizeBytes())
                    .bind("pause", outcome.pauseWindowMs())
                    .bind("machineType", platform.map(SavedPlatform::machineType).orElse(null))
                    .bind("cpuModel", platform.map(SavedPlatform::cpuModel).orElse(null))
                    .bind("accelerator", platform.map(SavedPlatform::accelerator).orElse(null))
                    .map(SnapshotRepository::record).one();
            handle.createUpdate("update sandboxes set disk_base_id = :id where id = :sandbox")
                    .bind("id", id).bind("sandbox", ready.sandboxId()).execute();
            return ready;
        });
    }

    /** The snapshot is in the object store (or, {@code error} not null, the last copy failed and it is not). */
    public void markDurable(UUID id, boolean durable, String error) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update snapshots set durable = :durable, durable_error = :error where id = :id")
                .bind("id", id).bind("durable", durable).bind("error", error).execute());
    }

    /** Ready snapshots not yet in the object store, oldest first; hidden ones are on their way out. */
    public List<SnapshotRecord> notDurable() {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from snapshots s where s.state = 'ready' and not s.durable and not s.hidden
                        order by s.created_at""")
                .map(SnapshotRepository::record).list());
    }

    /** Which of {@code ids} have a row (in any state): the others' stored copies have no owner. */
    public Set<UUID> existing(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return jdbi.withHandle(handle -> Set.copyOf(handle.createQuery(
                        "select id from snapshots where id = any(:ids)")
                .bindArray("ids", UUID.class, ids.toArray()).mapTo(UUID.class).list()));
    }

    public void markFailed(UUID id, String reason) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update snapshots set state = 'failed', state_reason = :reason where id = :id")
                .bind("id", id).bind("reason", reason).execute());
    }

    /**
     * Snapshots that a gone server process (replica) was making or deleting when it died are failed
     * (their files may be partial); they can be deleted again. Returns how many.
     */
    public int failInterrupted() {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update snapshots set state = 'failed',
                               state_reason = 'the server stopped while it was ' ||
                                   case state when 'creating' then 'being made' else 'being deleted' end
                        where state in ('creating', 'deleting')""" + " and " + Replica.gone("replica_id")).execute());
    }

    /** The team's own snapshot of that id. */
    public Optional<SnapshotRecord> findOwned(UUID teamId, UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from snapshots s where s.id = :id and s.team_id = :team and not s.hidden""")
                .bind("id", id).bind("team", teamId)
                .map(SnapshotRepository::record).findOne());
    }

    /** The team's own snapshot of that name. */
    public Optional<SnapshotRecord> findOwnedByName(UUID teamId, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from snapshots s where s.name = :name and s.team_id = :team and not s.hidden""")
                .bind("name", name).bind("team", teamId)
                .map(SnapshotRepository::record).findOne());
    }

    /**
     * A snapshot of any team, not hidden. Only for what a caller reaches through an object it may use
     * (the snapshot of a template it sees, the layer a build starts from), never to answer a lookup
     * of a snapshot.
     */
    public Optional<SnapshotRecord> find(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS
                        + " from snapshots s where s.id = :id and not s.hidden")
                .bind("id", id).map(SnapshotRepository::record).findOne());
    }

    /** A checkpoint of the team's sandbox {@code sandboxId}. */
    public Optional<SnapshotRecord> findCheckpoint(UUID teamId, UUID sandboxId, UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from snapshots s where s.id = :id and s.team_id = :team and s.sandbox_id = :sandbox
                        and s.kind = 'checkpoint' and not s.hidden""")
                .bind("id", id).bind("team", teamId).bind("sandbox", sandboxId)
                .map(SnapshotRepository::record).findOne());
    }

    /** A page of the team's snapshots, oldest first, optionally of one sandbox or kind. */
    public List<SnapshotRecord> list(UUID teamId, UUID sandboxId, SnapshotRecord.Kind kind, int offset, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from snapshots s where s.team_id = :team and not s.hidden
                        and (cast(:sandbox as uuid) is null or s.sandbox_id = cast(:sandbox as uuid))
                        and (cast(:kind as text) is null or s.kind = :kind)
                        order by s.created_at, s.id offset :offset limit :limit""")
                .bind("team", teamId).bind("sandbox", sandboxId)
                .bind("kind", kind == null ? null : kind.wireName()).bind("offset", offset).bind("limit", limit)
                .map(SnapshotRepository::record).list());
    }

    /**
     * A user deletes the snapshot: claimed when it is ready or failed and nothing uses it; hidden
     * (its name cleared) when something does. The row is locked first and the users are counted in
     * a later statement, which (read committed) sees every sandbox whose creation or restore locked
     * the row before: either that sandbox is counted here, or its transaction finds the snapshot
     * {@code deleting} or hidden and gives up.
     */
    public DeletionClaim claimOrHide(UUID id) {
        return claim(id, true);
    }

    /** The collector deletes the snapshot: claimed as in {@link #claimOrHide}, left as it is when something uses it. */
    public DeletionClaim claimUnused(UUID id) {
        return claim(id, false);
    }

    private DeletionClaim claim(UUID id, boolean hideIfUsed) {
        return jdbi.inTransaction(handle -> {
            Optional<SnapshotRecord.State> state = handle.createQuery("select state from snapshots where id = :id for update")
                    .bind("id", id).mapTo(String.class).findOne().map(SnapshotRecord.State::fromWireName);
            if (state.isEmpty()) {
                return new DeletionClaim(Claim.GONE, null);
            }
            if (state.get() == SnapshotRecord.State.CREATING || state.get() == SnapshotRecord.State.DELETING) {
                return new DeletionClaim(Claim.BUSY, state.get());
            }
            boolean used = handle.createQuery("select exists (select 1 %s) or exists (select 1 %s) or exists (select 1 %s)"
                            .formatted(SANDBOX_USERS.formatted(":id"), SNAPSHOT_USERS.formatted(":id"),
                                    TEMPLATE_USERS.formatted(":id")))
                    .bind("id", id).mapTo(Boolean.class).one();
            if (used && !hideIfUsed) {
                return new DeletionClaim(Claim.IN_USE, state.get());
            }
            if (used) {
                handle.createUpdate("update snapshots set hidden = true, name = null where id = :id")
                        .bind("id", id).execute();
                return new DeletionClaim(Claim.HIDDEN, state.get());
            }
            handle.createUpdate("update snapshots set state = 'deleting', replica_id = :replica where id = :id")
                    .bind("id", id).bind("replica", replica).execute();
            return new DeletionClaim(Claim.CLAIMED, state.get());
        });
    }

    /** The host could not delete the files: the snapshot is back as it was. */
    public void releaseClaim(UUID id, SnapshotRecord.State previous) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update snapshots set state = :previous where id = :id and state = 'deleting'")
                .bind("id", id).bind("previous", previous.wireName()).execute());
    }

    /** Removes a claimed snapshot's row once its files are gone. */
    public void delete(UUID id) {
        jdbi.useHandle(handle -> handle.createUpdate("delete from snapshots where id = :id and state = 'deleting'")
                .bind("id", id).execute());
    }

    /**
     * Snapshots no one can want any more, of every team, that nothing uses: hidden ones (a user
     * deleted them), and checkpoints whose sandbox is stopped (so it cannot roll back to them).
     */
    public List<SnapshotRecord> collectable() {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from snapshots s join sandboxes owner on owner.id = s.sandbox_id
                        where s.state in ('ready', 'failed')
                        and (s.hidden or (s.kind = 'checkpoint' and owner.state = 'stopped'))
                        and not exists (select 1 %s) and not exists (select 1 %s) and not exists (select 1 %s)"""
                        .formatted(SANDBOX_USERS.formatted("s.id"), SNAPSHOT_USERS.formatted("s.id"),
                                TEMPLATE_USERS.formatted("s.id")))
                .map(SnapshotRepository::record).list());
    }

    private static SnapshotRecord record(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SnapshotRecord(
                rs.getObject("id", UUID.class),
                rs.getObject("team_id", UUID.class),
                rs.getString("name"),
                SnapshotRecord.Kind.fromWireName(rs.getString("kind")),
                SnapshotRecord.State.fromWireName(rs.getString("state")),
                rs.getString("state_reason"),
                rs.getObject("sandbox_id", UUID.class),
                rs.getObject("based_on", UUID.class),
                rs.getObject("disk_parent_id", UUID.class),
                rs.getObject("host_id", UUID.class),
                rs.getInt("vcpus"),
                rs.getInt("memory_mb"),
                rs.getLong("disk_size_mb"),
                rs.getObject("size_bytes", Long.class),
                rs.getObject("pause_window_ms", Long.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getBoolean("durable"),
                rs.getString("durable_error"),
                platform(rs.getString("machine_type"), rs.getString("cpu_model"), rs.getString("accelerator")));
    }

    /** A row's platform; none when it has no machine type (not recorded). */
    private static Optional<SavedPlatform> platform(String machineType, String cpuModel, String accelerator) {
        return machineType == null ? Optional.empty() : Optional.of(new SavedPlatform(machineType, cpuModel, accelerator));
    }
}
