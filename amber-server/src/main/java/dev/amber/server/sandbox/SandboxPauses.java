package dev.amber.server.sandbox;

import dev.amber.api.sandbox.SandboxView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostClient.HostException;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.sandbox.SandboxTransitions.Transition;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Pause and resume: a paused sandbox's whole state (memory, processes, disk) is saved on its host
 * and its VM freed; resuming continues every process where it was, with the network policy the
 * sandbox has on record.
 */
public final class SandboxPauses {

    private static final System.Logger LOG = System.getLogger("amber.sandbox");

    private final SandboxRepository sandboxes;
    private final SandboxTransitions transitions;
    private final HostDirectory hosts;
    private final AuditLog audit;

    public SandboxPauses(SandboxRepository sandboxes, SandboxTransitions transitions, HostDirectory hosts, AuditLog audit) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.transitions = requireNonNull(transitions, "transitions");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
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
        HostClient.PauseOutcome outcome = pausing.attempt(() -> hosts.require(pausing.before().hostId()).pause(id));
        pausing.finish(SandboxState.PAUSED, null);
        audit.record(caller, "sandbox.pause", id, "ok", Map.of("durationMs", outcome.durationMs(),
                "stateBytes", outcome.stateBytes()));
        return transitions.require(caller, id).view();
    }

    public SandboxView resume(Caller caller, String id) throws HostException {
        Transition resuming = transitions.begin(caller, id, SandboxState.RESUMING, Set.of(SandboxState.PAUSED),
                "only a paused sandbox can be resumed");
        SandboxRecord sandbox = resuming.before();
        resuming.attempt(() -> {
            hosts.require(sandbox.hostId()).resume(id, sandbox.network());
            return null;
        });
        resuming.finish(SandboxState.RUNNING, null);
        audit.record(caller, "sandbox.resume", id, "ok", Map.of());
        return transitions.require(caller, id).view();
    }
}
