package dev.amber.server.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.server.db.JsonColumns;
import dev.amber.server.replica.Replica;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** Sandboxes in PostgreSQL. Every query that takes a team filters by it in SQL. */
public final class SandboxRepository {

    private static final String COLUMNS = """
            id, team_id, state, state_reason, snapshot_id, based_on, vcpus, memory_mb, disk_size_mb, timeout_sec,
            auto_pause, auto_resume, env, metadata, network, host_id, created_at, updated_at, last_activity_at,
            port_token_hash, last_patch_sequence, patch_error, image_id, stored_state_id, durable_error,
            (select name from templates t where t.id = template_id) as template_name""";

    /** What {@link #beginRestore} did. */
    public enum RestoreStart { STARTED, STATE_CHANGED, SNAPSHOT_NOT_READY }

    private final Jdbi jdbi;
    private final JsonColumns columns;
    private final UUID replica;

    /** {@code replica}: this server process's replica id, recorded with each state it writes. */
    public SandboxRepository(Jdbi jdbi, ObjectMapper json, UUID replica) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.columns = new JsonColumns(json);
        this.replica = requireNonNull(replica, "replica");
    }

    /**
     * Records a new sandbox in state {@code creating}. One made from a snapshot is based on it and
     * sits on its disk layer; it is recorded only while the snapshot is ready, and the snapshot's
     * row is locked meanwhile, so a concurrent deletion either sees this sandbox or wins (empty).
     * {@code admit} runs first in the same transaction (a quota check: it throws to refuse).
     */
    Optional<SandboxRecord> insert(UUID teamId, UUID hostId, NewSandbox sandbox, Consumer<Handle> admit) {
        Optional<UUID> snapshotId = sandbox.source().restorePoint().map(RestorePoint::id);
        UUID templateId = switch (sandbox.source()) {
            case Source.Template template -> template.templateId();
            case Source.Image image -> image.templateId();
            case Source.TemplateSnapshot template -> template.templateId();
            case Source.Snapshot snapshot -> null;
            case Source.Checkpoint checkpoint -> null;
        };
        UUID imageId = sandbox.source() instanceof Source.Image image ? image.imageId() : null;
        Resources resources = sandbox.resources();
        return jdbi.inTransaction(handle -> {
            admit.accept(handle);
            if (snapshotId.isPresent() && !lockReadySnapshot(handle, snapshotId.get())) {
                return Optional.empty();
            }
            return Optional.of(handle.createQuery("""
                            insert into sandboxes (id, team_id, state, template_id, snapshot_id, based_on, disk_base_id,
                                                   image_id, vcpus, memory_mb, disk_size_mb, timeout_sec, auto_pause,
                                                   auto_resume, env, metadata, network, host_id, replica_id)
                            values (:id, :team, 'creating', cast(:template as uuid), cast(:snapshot as uuid),
                                    cast(:snapshot as uuid), cast(:snapshot as uuid), cast(:image as uuid), :vcpus,
                                    :memory, :disk, :timeout, :autoPause, :autoResume, cast(:env as jsonb),
                                    cast(:metadata as jsonb), cast(:network as jsonb), :host, :replica)
                            returning""" + " " + COLUMNS)
                    .bind("id", UUID.randomUUID()).bind("team", teamId).bind("template", templateId)
                    .bind("snapshot", snapshotId.orElse(null)).bind("image", imageId)
                    .bind("vcpus", resources.vcpus())
                    .bind("memory", resources.memoryMb()).bind("disk", resources.diskSizeMb())
                    .bind("timeout", sandbox.timeoutSec()).bind("autoPause", sandbox.autoPause())
                    .bind("autoResume", sandbox.autoResume())
                    .bind("env", write(sandbox.env())).bind("metadata", write(sandbox.metadata()))
                    .bind("network", write(sandbox.network())).bind("host", hostId).bind("replica", replica)
                    .map(this::record).one());
        });
    }

    public Optional<SandboxRecord> find(UUID teamId, UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select " + COLUMNS + " from sandboxes where id = :id and team_id = :team")
                .bind("id", id).bind("team", teamId).map(this::record).findOne());
    }

    /** How many sandboxes are in each state, across all teams: an operator's figure, not a team's. */
    public Map<SandboxState, Integer> countByState() {
        Map<SandboxState, Integer> counts = new EnumMap<>(SandboxState.class);
        jdbi.useHandle(handle -> handle.createQuery("select state, count(*) as n from sandboxes group by state")
                .map((rs, ctx) -> Map.entry(SandboxState.fromWireName(rs.getString("state")), rs.getInt("n")))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue())));
        return counts;
    }

    /** Records the hash of the sandbox's new port token (the previous one stops working). */
    void setPortTokenHash(UUID id, byte[] hash) {
        jdbi.useHandle(handle -> handle.createUpdate("update sandboxes set port_token_hash = :hash where id = :id")
                .bind("id", id).bind("hash", hash).execute());
    }

    /**
     * A sandbox whatever its team: only for requests that carry no API key, such as a browser's to a
     * sandbox's port by host name, which are authorised by other means.
     */
    public Optional<SandboxRecord> findById(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + " from sandboxes where id = :id")
                .bind("id", id).map(this::record).findOne());
    }

    /** A page of the team's sandboxes in one of {@code states}, newest last, optionally filtered by metadata entries. */
    public List<SandboxRecord> list(UUID teamId, Set<SandboxState> states, Map<String, String> metadata, int offset,
                                    int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from sandboxes where team_id = :team and state = any(:states)
                        and metadata @> cast(:metadata as jsonb)
                        order by created_at, id offset :offset limit :limit""")
                .bind("team", teamId)
                .bindArray("states", String.class, states.stream().map(SandboxState::wireName).toArray())
                .bind("metadata", write(metadata)).bind("offset", offset).bind("limit", limit)
                .map(this::record).list());
    }

    /**
     * Deletes the rows of sandboxes stopped for longer than {@code kept} (their metrics go with them),
     * except those a snapshot was taken of (the snapshot names its source); returns how many.
     */
    public int pruneStopped(Duration kept) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        delete from sandboxes s where s.state = 'stopped'
                        and s.updated_at < now() - make_interval(secs => :kept)
                        and not exists (select 1 from snapshots p where p.sandbox_id = s.id)""")
                .bind("kept", kept.toSeconds()).execute());
    }

    /** Every sandbox placed on a host that is not stopped: what the reconciler compares with the host. */
    /**
     * What the sandboxes with a VM (not paused, stopped or in error) take on each host, for all hosts
     * in one query; a host with none is absent.
     */
    public Map<UUID, PlacedLoad> placedByHost() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select host_id, sum(vcpus) as vcpus, sum(memory_mb) as memory_mb from sandboxes
                        where host_id is not null and state not in ('stopped', 'paused', 'error')
                        group by host_id""")
                .map((rs, ctx) -> Map.entry(rs.getObject("host_id", UUID.class),
                        new PlacedLoad(rs.getInt("vcpus"), rs.getLong("memory_mb"))))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public List<SandboxRecord> activeOnHost(UUID hostId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select " + COLUMNS + " from sandboxes where host_id = :host and state <> 'stopped'")
                .bind("host", hostId).map(this::record).list());
    }

    /**
     * The sandboxes of the host in a transitional state that a gone replica wrote (a server process
     * that died mid-operation): no one will finish them.
     */
    public Set<UUID> interruptedOnHost(UUID hostId) {
        return jdbi.withHandle(handle -> Set.copyOf(handle.createQuery("select id from sandboxes where host_id = :host"
                        + " and state in (<transitional>) and " + Replica.gone("replica_id"))
                .bind("host", hostId)
                .bindList("transitional", Arrays.stream(SandboxState.values()).filter(SandboxState::isTransitional)
                        .map(SandboxState::wireName).toList())
                .mapTo(UUID.class).list()));
    }

    /**
     * Moves a sandbox from {@code from} to {@code to}; false when it was no longer in {@code from}
     * (another request or the reconciler got there first). Entering {@code running} starts the
     * inactivity clock afresh: a sandbox just booted or resumed gets its whole timeout. Leaving a
     * pause for good (running, stopped, or pausing anew) forgets where that pause was stored: the
     * store's copy is then no one's, and the collector removes it.
     */
    public boolean transition(UUID id, SandboxState from, SandboxState to, String reason) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update sandboxes set state = :to, state_reason = :reason, updated_at = now(), replica_id = :replica,
                            last_activity_at = case when :to = 'running' then now() else last_activity_at end,
                            stored_state_id = case when :to in ('running', 'pausing', 'stopped') then null
                                                   else stored_state_id end,
                            durable_error = case when :to in ('running', 'pausing', 'stopped') then null
                                                 else durable_error end
                        where id = :id and state = :from""")
                .bind("id", id).bind("from", from.wireName()).bind("to", to.wireName()).bind("reason", reason)
                .bind("replica", replica).execute()) == 1;
    }

    /**
     * Moves a sandbox from {@code from} to {@code restoring} and records it as based on
     * {@code snapshotId}, which keeps the snapshot in use while the host restores from it. The
     * snapshot's row is locked meanwhile, as in {@link #insert}.
     */
    public RestoreStart beginRestore(UUID id, SandboxState from, UUID snapshotId) {
        return jdbi.inTransaction(handle -> {
            if (!lockReadySnapshot(handle, snapshotId)) {
                return RestoreStart.SNAPSHOT_NOT_READY;
            }
            int moved = handle.createUpdate("""
                            update sandboxes set state = 'restoring', state_reason = null, based_on = :snapshot,
                                                 updated_at = now(), replica_id = :replica
                            where id = :id and state = :from""")
                    .bind("id", id).bind("from", from.wireName()).bind("snapshot", snapshotId)
                    .bind("replica", replica).execute();
            return moved == 1 ? RestoreStart.STARTED : RestoreStart.STATE_CHANGED;
        });
    }

    /** After a restore: the sandbox's disk now sits on the snapshot's layer. */
    public void setDiskBase(UUID id, UUID snapshotId) {
        jdbi.useHandle(handle -> handle.createUpdate("update sandboxes set disk_base_id = :snapshot where id = :id")
                .bind("id", id).bind("snapshot", snapshotId).execute());
    }

    /** After a failed restore: what the sandbox was based on before. */
    public void setBasedOn(UUID id, UUID snapshotId) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update sandboxes set based_on = cast(:snapshot as uuid) where id = :id")
                .bind("id", id).bind("snapshot", snapshotId).execute());
    }

    /**
     * Records a call on the caller's sandbox. Written only when the stored time is over a second old,
     * so that a burst of calls costs one write.
     */
    public void touch(UUID teamId, UUID id) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update sandboxes set last_activity_at = now()
                        where id = :id and team_id = :team and last_activity_at < now() - interval '1 second'""")
                .bind("id", id).bind("team", teamId).execute());
    }

    /** Records activity on sandboxes that calls in flight are using (ids that came from those calls). */
    public void touch(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update sandboxes set last_activity_at = now() where id = any(:ids)")
                .bindArray("ids", UUID.class, ids).execute());
    }

    /** Running sandboxes with {@code autoPause} whose last activity is older than their (non-zero) timeout. */
    public List<SandboxRecord> idle() {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from sandboxes where state = 'running' and auto_pause and timeout_sec > 0
                        and last_activity_at < now() - make_interval(secs => timeout_sec)
                        order by last_activity_at""")
                .map(this::record).list());
    }

    /**
     * Moves an idle sandbox from {@code running} to {@code pausing}; false when it is no longer
     * running or no longer idle (a call came in since it was found idle).
     */
    public boolean beginIdlePause(UUID id) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update sandboxes set state = 'pausing', state_reason = null, updated_at = now(),
                                             replica_id = :replica
                        where id = :id and state = 'running' and auto_pause and timeout_sec > 0
                        and last_activity_at < now() - make_interval(secs => timeout_sec)""")
                .bind("id", id).bind("replica", replica).execute()) == 1;
    }

    /**
     * Changes the settings given (null: unchanged) of the caller's sandbox; empty when it is not the
     * caller's. {@code updated_at} stays: it dates the state, which the reconciler relies on.
     */
    public Optional<SandboxRecord> update(UUID teamId, UUID id, Integer timeoutSec, Boolean autoResume,
                                          Map<String, String> metadata) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        update sandboxes set timeout_sec = coalesce(:timeout, timeout_sec),
                            auto_resume = coalesce(:autoResume, auto_resume),
                            metadata = coalesce(cast(:metadata as jsonb), metadata)
                        where id = :id and team_id = :team
                        returning""" + " " + COLUMNS)
                .bind("id", id).bind("team", teamId).bind("timeout", timeoutSec).bind("autoResume", autoResume)
                .bind("metadata", metadata == null ? null : write(metadata))
                .map(this::record).findOne());
    }

    /** Records a running sandbox's new egress policy (after the host applied it). */
    public void setNetwork(UUID id, NetworkSettings network) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update sandboxes set network = cast(:network as jsonb), updated_at = now() where id = :id")
                .bind("id", id).bind("network", write(network)).execute());
    }

    /**
     * Records that the sandbox's current pause is stored as {@code storedId}; false (nothing
     * recorded) when it is no longer paused, or another copy of this pause was recorded first.
     */
    public boolean markPauseStored(UUID id, String storedId) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update sandboxes set stored_state_id = :stored, durable_error = null
                        where id = :id and state = 'paused' and stored_state_id is null""")
                .bind("id", id).bind("stored", storedId).execute()) == 1;
    }

    /** Why the last copy of the sandbox's pause to the object store failed. */
    public void markPauseNotStored(UUID id, String error) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update sandboxes set durable_error = :error where id = :id and state = 'paused'")
                .bind("id", id).bind("error", error).execute());
    }

    /** Paused sandboxes whose pause is not in the object store yet, of every team. */
    public List<SandboxRecord> pausedNotStored() {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS
                        + " from sandboxes where state = 'paused' and stored_state_id is null order by updated_at")
                .map(this::record).list());
    }

    /** The copy stored as {@code storedId} is damaged: the sandbox's pause is not durable (it is copied again). */
    public void forgetStoredPause(String storedId, String reason) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update sandboxes set stored_state_id = null, durable_error = :reason
                        where stored_state_id = :stored""")
                .bind("stored", storedId).bind("reason", reason).execute());
    }

    /** Every id a paused sandbox's state is stored under: the store's other paused states are no one's. */
    public Set<String> storedStateIds() {
        return jdbi.withHandle(handle -> Set.copyOf(handle.createQuery(
                        "select stored_state_id from sandboxes where stored_state_id is not null")
                .mapTo(String.class).list()));
    }

    /** The sandbox now lives on {@code hostId} (it was resumed there from the object store). */
    public void moveToHost(UUID id, UUID hostId) {
        jdbi.useHandle(handle -> handle.createUpdate("update sandboxes set host_id = :host where id = :id")
                .bind("id", id).bind("host", hostId).execute());
    }

    public void delete(UUID id) {
        jdbi.useHandle(handle -> handle.createUpdate("delete from sandboxes where id = :id").bind("id", id).execute());
    }

    /** Takes a share lock on a ready snapshot's row; false when it is not ready, hidden (deleted by its user) or gone. */
    private static boolean lockReadySnapshot(Handle handle, UUID snapshotId) {
        return handle.createQuery("select 1 from snapshots where id = :id and state = 'ready' and not hidden for share")
                .bind("id", snapshotId).mapTo(Integer.class).findOne().isPresent();
    }

    private SandboxRecord record(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SandboxRecord(
                rs.getObject("id", UUID.class),
                rs.getObject("team_id", UUID.class),
                SandboxState.fromWireName(rs.getString("state")),
                rs.getString("state_reason"),
                rs.getString("template_name"),
                rs.getObject("snapshot_id", UUID.class),
                rs.getObject("based_on", UUID.class),
                rs.getInt("vcpus"),
                rs.getInt("memory_mb"),
                rs.getLong("disk_size_mb"),
                rs.getInt("timeout_sec"),
                rs.getBoolean("auto_pause"),
                rs.getBoolean("auto_resume"),
                read(rs.getString("env"), new TypeReference<Map<String, String>>() {}),
                read(rs.getString("metadata"), new TypeReference<Map<String, String>>() {}),
                read(rs.getString("network"), new TypeReference<NetworkSettings>() {}),
                rs.getObject("host_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_activity_at", OffsetDateTime.class).toInstant(),
                rs.getBytes("port_token_hash"),
                rs.getObject("last_patch_sequence", Integer.class),
                rs.getString("patch_error"),
                rs.getObject("image_id", UUID.class),
                rs.getString("stored_state_id"),
                rs.getString("durable_error"));
    }

    private String write(Object value) {
        return columns.write(value == null ? Map.of() : value);
    }

    private <T> T read(String value, TypeReference<T> type) throws SQLException {
        return columns.read(value, type);
    }
}
