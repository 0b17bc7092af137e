package dev.amber.server.snapshot;

import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.snapshot.SnapshotView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostHeartbeat;
import dev.amber.server.host.HostPlatformFacts;
import dev.amber.server.host.HostSnapshots.SnapshotOutcome;
import dev.amber.server.http.Requests.PageRequest;
import dev.amber.server.quota.Demand;
import dev.amber.server.quota.TeamQuotas;
import dev.amber.server.sandbox.FreedStorage;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.sandbox.SandboxState;
import dev.amber.server.sandbox.SandboxTransitions;
import dev.amber.server.sandbox.SandboxTransitions.Transition;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Snapshots and checkpoints as the API offers them: taken from running sandboxes, listed, rolled
 * back to, deleted. Taking one moves its sandbox through {@code snapshotting}; rolling back through
 * {@code restoring}.
 */
public final class SnapshotService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final SnapshotRepository snapshots;
    private final SandboxRepository sandboxes;
    private final SandboxTransitions transitions;
    private final SnapshotCollector collector;
    private final FreedStorage freed;
    private final HostDirectory hosts;
    private final AuditLog audit;
    private final TeamQuotas quotas;

    public SnapshotService(SnapshotRepository snapshots, SandboxRepository sandboxes, SandboxTransitions transitions,
                           SnapshotCollector collector, FreedStorage freed, HostDirectory hosts, AuditLog audit,
                           TeamQuotas quotas) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.transitions = requireNonNull(transitions, "transitions");
        this.collector = requireNonNull(collector, "collector");
        this.freed = requireNonNull(freed, "freed");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
    }

    /** A named snapshot of the caller's running sandbox; the name must be new in the team. */
    public SnapshotRecord snapshot(Caller caller, String sandboxId, String name) throws HostException {
        return take(caller, sandboxId, SnapshotRecord.Kind.SNAPSHOT, checkName(name));
    }

    /** A checkpoint of the caller's running sandbox, to roll back to or fork from. */
    public SnapshotRecord checkpoint(Caller caller, String sandboxId) throws HostException {
        return take(caller, sandboxId, SnapshotRecord.Kind.CHECKPOINT, null);
    }

    /** A layer of a template build: the state of the team's builder sandbox after a step. */
    public SnapshotRecord layer(Caller caller, String sandboxId) throws HostException {
        return take(caller, sandboxId, SnapshotRecord.Kind.LAYER, null);
    }

    /**
     * Records the snapshot as {@code creating} while the sandbox is {@code snapshotting}, has the
     * host save it, then records it {@code ready} (its disk layer now under the sandbox's) or
     * {@code failed} with the host's reason. Snapshots and checkpoints are recorded within the
     * team's quota (429); a template's layers count against no team.
     */
    private SnapshotRecord take(Caller caller, String sandboxId, SnapshotRecord.Kind kind, String name)
            throws HostException {
        Transition snapshotting = transitions.begin(caller, sandboxId, SandboxState.SNAPSHOTTING,
                Set.of(SandboxState.RUNNING), "only a running sandbox can be snapshotted; resume it first");
        SandboxRecord sandbox = snapshotting.before();
        SnapshotRecord snapshot = snapshotting.attempt(() -> snapshots.insert(kind, name, sandbox, handle -> {
                    if (kind != SnapshotRecord.Kind.LAYER) {
                        quotas.admit(handle, sandbox.teamId(), Demand.snapshot());
                    }
                })
                .orElseThrow(() -> ApiException.conflict("a snapshot named \"" + name + "\" exists already; "
                        + "choose another name or delete that one first")));
        String action = kind.wireName() + ".create";
        SnapshotOutcome outcome;
        try {
            outcome = hosts.require(sandbox.hostId()).snapshots().create(sandboxId, snapshot.wireId());
        } catch (HostException | RuntimeException e) {
            snapshots.markFailed(snapshot.id(), e.getMessage());
            snapshotting.revert();
            audit.record(caller, action, snapshot.wireId(), "failed", Map.of("sandbox", sandboxId,
                    "reason", String.valueOf(e.getMessage())));
            throw e;
        }
        // saved on the platform its host runs machines on, as the host last said
        SnapshotRecord ready = snapshots.markReady(snapshot.id(), outcome, hosts.newestHeartbeat(sandbox.hostId())
                .flatMap(HostHeartbeat::platform).map(HostPlatformFacts::recording));
        snapshotting.finish(SandboxState.RUNNING, null);
        audit.record(caller, action, snapshot.wireId(), "ok", Map.of("sandbox", sandboxId,
                "pauseWindowMs", outcome.pauseWindowMs(), "sizeBytes", outcome.sizeBytes()));
        return ready;
    }

    /**
     * Rolls the caller's running or paused sandbox back to one of its checkpoints, keeping its id;
     * it is running afterwards, based on the checkpoint.
     */
    public SandboxRecord restore(Caller caller, String sandboxId, String checkpointId) throws HostException {
        SandboxRecord sandbox = transitions.require(caller, sandboxId);
        SnapshotRecord checkpoint = Ids.SNAPSHOT.parse(checkpointId)
                .flatMap(id -> snapshots.findCheckpoint(caller.teamId(), sandbox.id(), id))
                .orElseThrow(() -> ApiException.notFound("sandbox " + sandboxId + " has no checkpoint " + checkpointId));
        requireReady(checkpoint);
        Transition restoring = transitions.begin(caller, sandboxId, SandboxState.RESTORING,
                Set.of(SandboxState.RUNNING, SandboxState.PAUSED), "only a running or paused sandbox can be rolled back",
                current -> switch (sandboxes.beginRestore(current.id(), current.state(), checkpoint.id())) {
                    case STARTED -> true;
                    case STATE_CHANGED -> false;
                    case SNAPSHOT_NOT_READY -> throw ApiException.conflict("checkpoint " + checkpointId
                            + " is being deleted");
                });
        try {
            hosts.require(sandbox.hostId()).snapshots().restore(sandboxId, checkpoint.wireId());
        } catch (HostException | RuntimeException e) {
            sandboxes.setBasedOn(sandbox.id(), restoring.before().basedOn());
            restoring.revert();
            audit.record(caller, "sandbox.restore", sandboxId, "failed", Map.of("checkpoint", checkpointId,
                    "reason", String.valueOf(e.getMessage())));
            throw e;
        }
        sandboxes.setDiskBase(sandbox.id(), checkpoint.id());
        restoring.finish(SandboxState.RUNNING, null);
        audit.record(caller, "sandbox.restore", sandboxId, "ok", Map.of("checkpoint", checkpointId));
        return transitions.require(caller, sandboxId);
    }

    /**
     * A snapshot of the caller's team, by id or name; 404 otherwise, for another team's (the
     * platform's included) as for a missing one.
     */
    public SnapshotRecord require(Caller caller, String idOrName) {
        return Ids.SNAPSHOT.parse(idOrName)
                .map(id -> snapshots.findOwned(caller.teamId(), id))
                .orElseGet(() -> snapshots.findOwnedByName(caller.teamId(), idOrName))
                .orElseThrow(() -> ApiException.notFound("no snapshot " + idOrName));
    }

    /**
     * What a template starts sandboxes from, whichever team owns it (a published platform
     * template's is the platform's): the caller has found the template, and uses the snapshot
     * through it without seeing it as a snapshot.
     */
    public SnapshotRecord requireOfTemplate(String templateName, UUID snapshotId) {
        return snapshots.find(snapshotId).orElseThrow(() -> ApiException.conflict("template \"" + templateName
                + "\" has lost its snapshot; rebuild it"));
    }

    /** 409 naming the state unless the snapshot is ready to start from. */
    public static void requireReady(SnapshotRecord snapshot) {
        if (snapshot.state() != SnapshotRecord.State.READY) {
            throw ApiException.conflict(snapshot.kind().wireName() + " " + snapshot.wireId() + " is "
                    + snapshot.state().wireName() + (snapshot.stateReason() == null ? "" : " (" + snapshot.stateReason() + ")")
                    + "; only a ready one can be used");
        }
    }

    public SnapshotView get(Caller caller, String idOrName) {
        return require(caller, idOrName).view();
    }

    /** The team's snapshots; {@code sandboxId} and {@code kind} filter when given. */
    public Page<SnapshotView> list(Caller caller, String sandboxId, String kind, PageRequest page) {
        UUID sandbox = sandboxId == null ? null : Ids.SANDBOX.parse(sandboxId).orElseThrow(() ->
                ApiException.badRequest("sandboxId must be a sandbox id (sb-…), got \"" + sandboxId + "\""));
        SnapshotRecord.Kind filter = kind == null ? null : SnapshotRecord.Kind.parse(kind);
        return page(caller, sandbox, filter, page);
    }

    /** The checkpoints of the caller's sandbox. */
    public Page<SnapshotView> checkpoints(Caller caller, String sandboxId, PageRequest page) {
        return page(caller, transitions.require(caller, sandboxId).id(), SnapshotRecord.Kind.CHECKPOINT, page);
    }

    private Page<SnapshotView> page(Caller caller, UUID sandboxId, SnapshotRecord.Kind kind, PageRequest page) {
        return page.toPage(snapshots.list(caller.teamId(), sandboxId, kind, page.offset(), page.limitPlusOne())
                .stream().map(SnapshotRecord::view).toList());
    }

    /**
     * Deletes a snapshot or checkpoint, whatever runs on it (403 for the platform team's unless the
     * caller is an admin; 409 while it is being made): gone for the caller at once, its files kept
     * hidden while anything still needs them. Then collects whatever that frees.
     */
    public void delete(Caller caller, String idOrName) throws HostException {
        SnapshotRecord snapshot = require(caller, idOrName);
        if (snapshot.isPlatform() && !caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "snapshot " + snapshot.wireId()
                    + " belongs to the platform; only a platform admin may delete it");
        }
        try {
            collector.delete(snapshot);
        } catch (HostException | RuntimeException e) {
            audit.record(caller, "snapshot.delete", snapshot.wireId(), "failed",
                    Map.of("reason", String.valueOf(e.getMessage())));
            throw e;
        }
        audit.record(caller, "snapshot.delete", snapshot.wireId(), "ok", Map.of());
        freed.collect();
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit");
        }
        String prefix = Ids.SNAPSHOT.prefix();
        if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw ApiException.badRequest("name must not start with \"" + prefix + "\": that is how snapshot ids look");
        }
        return name;
    }
}
