package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.sandbox.SandboxView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostHeartbeat;
import dev.amber.server.host.HostPlatformFacts;
import dev.amber.server.host.HostSandboxes;
import dev.amber.server.host.SavedPlatform;
import dev.amber.server.quota.Demand;
import dev.amber.server.quota.TeamQuotas;
import dev.amber.server.sandbox.SandboxTransitions.Transition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Pause and resume: a paused sandbox's whole state (memory, processes, disk) is saved on its host
 * and its VM freed; resuming continues every process where it was, with the network policy the
 * sandbox has on record. Asked for by users, by a host shutting down, by the inactivity reaper
 * (auto-pause) and by calls that need a paused sandbox running (auto-resume).
 */
public final class SandboxPauses {

    private static final System.Logger LOG = System.getLogger("amber.sandbox");

    private final SandboxRepository sandboxes;
    private final SandboxTransitions transitions;
    private final HostDirectory hosts;
    private final AuditLog audit;
    private final SandboxMetricsKeeper metrics;
    private final SandboxWakeHook wakeHook;
    private final Placement placement;
    private final TeamQuotas quotas;
    private final Durability durability;

    /** Whether saved machines outlive their host here (an object store is configured). */
    Durability durability() {
        return durability;
    }

    /** {@code placement} and {@code quotas} admit resumes: the VM must fit its host and the team's quota. */
    public SandboxPauses(SandboxRepository sandboxes, SandboxTransitions transitions, HostDirectory hosts, AuditLog audit,
                         SandboxMetricsKeeper metrics, SandboxWakeHook wakeHook, Placement placement, TeamQuotas quotas,
                         Durability durability) {
        this.durability = requireNonNull(durability, "durability");
        this.placement = requireNonNull(placement, "placement");
        this.quotas = requireNonNull(quotas, "quotas");
        this.wakeHook = requireNonNull(wakeHook, "wakeHook");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.transitions = requireNonNull(transitions, "transitions");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    /**
     * Pauses every running sandbox of a host that is shutting down, so that nothing of them is
     * lost and they resume when it is back; returns how many were paused. One that cannot be paused
     * is left to the host's shutdown (and reported stopped when it is back).
     */
    public int pauseAllOn(UUID hostId) {
        int paused = 0;
        for (SandboxRecord record : sandboxes.activeOnHost(hostId)) {
            if (record.state() != SandboxState.RUNNING) {
                continue;
            }
            String id = Ids.SANDBOX.format(record.id());
            try {
                pause(new Caller(record.teamId(), null, true), id);
                paused++;
            } catch (HostException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not pause sandbox {0} for the shutdown: {1}", id, e.getMessage());
            }
        }
        return paused;
    }

    public SandboxView pause(Caller caller, String id) throws HostException {
        Transition pausing = transitions.begin(caller, id, SandboxState.PAUSING, Set.of(SandboxState.RUNNING),
                "only a running sandbox can be paused");
        HostSandboxes.PauseOutcome outcome = pausing.attempt(() -> hosts.require(pausing.before().hostId()).sandboxes().pause(id));
        return paused(caller, pausing, outcome, null);
    }

    /**
     * The auto-pause of a sandbox found idle: paused unless a call came in since it was found, with
     * the reason recorded. If its host no longer has its VM, there is nothing left to save: it is
     * marked stopped instead, with the reason. Any other failure leaves it running.
     */
    void pauseIdle(SandboxRecord idle) throws HostException {
        Optional<Transition> begun = transitions.beginFrom(idle, SandboxState.PAUSING,
                current -> sandboxes.beginIdlePause(current.id()));
        if (begun.isEmpty()) {
            return;
        }
        Transition pausing = begun.get();
        String id = idle.wireId();
        String reason = "paused after " + idle.timeoutSec() + " s without activity";
        Caller owner = new Caller(idle.teamId(), null, false);
        HostSandboxes.PauseOutcome outcome;
        try {
            outcome = hosts.require(idle.hostId()).sandboxes().pause(id);
        } catch (HostException e) {
            if (e.kind() != HostException.Kind.NOT_FOUND) {
                pausing.revert();
                throw e;
            }
            String gone = "its VM was gone when it was due to be " + reason + " (" + e.getMessage() + ")";
            pausing.finish(SandboxState.STOPPED, gone);
            audit.record(owner, "sandbox.pause", id, "failed", Map.of("reason", gone));
            return;
        } catch (RuntimeException e) {
            pausing.revert();
            throw e;
        }
        paused(owner, pausing, outcome, reason);
    }

    private SandboxView paused(Caller caller, Transition pausing, HostSandboxes.PauseOutcome outcome, String reason) {
        String id = pausing.before().wireId();
        metrics.paused(pausing.before()); // while still pausing, so a reader never finds it paused without them
        pausing.finish(SandboxState.PAUSED, reason);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("durationMs", outcome.durationMs());
        details.put("stateBytes", outcome.stateBytes());
        if (reason != null) {
            details.put("reason", reason);
        }
        audit.record(caller, "sandbox.pause", id, "ok", details);
        return transitions.require(caller, id).view(hosts);
    }

    public SandboxView resume(Caller caller, String id) throws HostException {
        admitResume(transitions.settled(caller, id));
        Transition resuming = transitions.begin(caller, id, SandboxState.RESUMING, Set.of(SandboxState.PAUSED),
                "only a paused sandbox can be resumed");
        resume(caller, resuming, Map.of());
        return transitions.require(caller, id).view(hosts);
    }

    /**
     * The auto-resume of a paused sandbox for a call that needs it running. If another request
     * moved it first (another call resuming it), this one leaves it to that one. A failure is a 409
     * saying the sandbox stays paused ({@code snapshot_incompatible} when its saved state needs a platform its
     * host lacks; 503 when its host is away).
     */
    void wake(Caller caller, SandboxRecord paused) {
        admitResume(paused);
        Optional<Transition> resuming = transitions.beginFrom(paused, SandboxState.RESUMING,
                current -> sandboxes.transition(current.id(), SandboxState.PAUSED, SandboxState.RESUMING, null));
        if (resuming.isEmpty()) {
            return;
        }
        try {
            resume(caller, resuming.get(), Map.of("auto", true));
        } catch (HostException e) {
            throw new ApiException(switch (e.kind()) {
                case UNAVAILABLE -> ErrorCode.NO_CAPACITY;
                case SNAPSHOT_INCOMPATIBLE -> ErrorCode.SNAPSHOT_INCOMPATIBLE;
                default -> ErrorCode.CONFLICT;
            }, "sandbox " + paused.wireId() + " is paused and could not be resumed for "
                    + "this call: " + e.getMessage());
        }
    }

    /**
     * Refuses to bring a paused sandbox's VM back beyond the team's running vCPU and memory quota
     * (429) or its host's capacity (503). Checked while it is still paused (so it is not counted
     * twice), not in the transition's write: two resumes racing for the last vCPUs may both pass.
     */
    private void admitResume(SandboxRecord sandbox) {
        if (sandbox.state() != SandboxState.PAUSED) {
            return;
        }
        quotas.check(sandbox.teamId(), Demand.resume(sandbox.vcpus(), sandbox.memoryMb()));
        placement.admit(sandbox.hostId(), new Resources(sandbox.vcpus(), sandbox.memoryMb(), sandbox.diskSizeMb()));
    }

    private void resume(Caller caller, Transition resuming, Map<String, Object> details) throws HostException {
        SandboxRecord sandbox = resuming.before();
        String id = sandbox.wireId();
        Map<String, Object> recorded = new LinkedHashMap<>(details);
        if (hosts.reachable(sandbox.hostId()) || !durability.objectStore()) {
            resuming.attempt(() -> {
                hosts.require(sandbox.hostId()).sandboxes().resume(id, sandbox.network());
                return null;
            });
        } else {
            UUID host = resuming.attempt(() -> resumeElsewhere(sandbox));
            recorded.put("movedFrom", Ids.HOST.format(sandbox.hostId()));
            recorded.put("movedTo", Ids.HOST.format(host));
        }
        resuming.finish(SandboxState.RUNNING, null);
        audit.record(caller, "sandbox.resume", id, "ok", recorded);
        wakeHook.woke(sandboxes.findById(sandbox.id()).orElse(sandbox)); // on the host it runs on now
    }

    /**
     * Resumes a sandbox whose host is gone on another host, from its pause's copy in the object
     * store, and records it there; 409 {@code snapshot_not_durable} when its pause was not copied yet.
     * The pause was saved on the platform its host last reported (to this server process), so only
     * hosts that can restore that are chosen; 409 {@code snapshot_incompatible} when none can.
     */
    private UUID resumeElsewhere(SandboxRecord sandbox) throws HostException {
        String id = sandbox.wireId();
        if (sandbox.storedStateId() == null) {
            throw new ApiException(ErrorCode.SNAPSHOT_NOT_DURABLE, "sandbox " + id + " is paused on host "
                    + Ids.HOST.format(sandbox.hostId()) + ", which is unreachable, and its saved state is not in the "
                    + "object store yet" + (sandbox.durableError() == null ? "" : " (" + sandbox.durableError() + ")"));
        }
        Optional<SavedPlatform> savedOn = hosts.newestHeartbeat(sandbox.hostId()).flatMap(HostHeartbeat::platform)
                .map(HostPlatformFacts::recording);
        UUID host = placement.hostFor(PlacementRequest.anywhere(sandbox.teamId(),
                new Resources(sandbox.vcpus(), sandbox.memoryMb(), sandbox.diskSizeMb()), Locality.NOWHERE, savedOn));
        hosts.require(host).sandboxes().resumeStored(id, sandbox.network(), sandbox.storedStateId());
        sandboxes.moveToHost(sandbox.id(), host);
        LOG.log(System.Logger.Level.INFO, "sandbox {0} resumed on host {1} from the object store: its host {2} is gone",
                id, Ids.HOST.format(host), Ids.HOST.format(sandbox.hostId()));
        return host;
    }
}
