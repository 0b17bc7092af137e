package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.quota.Demand;
import dev.amber.server.quota.TeamQuotas;
import dev.amber.server.sandbox.SandboxTransitions.Transition;

import java.util.Map;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Starts new sandboxes: each is recorded as {@code creating} before its host is called (so the
 * reconciler never races the boot), then booted or restored, then recorded {@code running}. A
 * create the caller waits for leaves no row when it fails; one that runs in the background (the
 * caller already has its id) ends in {@code error} with the reason, for the caller to see.
 */
final class SandboxLauncher {

    private static final System.Logger LOG = System.getLogger("amber.sandbox");

    private final SandboxRepository sandboxes;
    private final SandboxTransitions transitions;
    private final HostDirectory hosts;
    private final AuditLog audit;
    private final SandboxWakeHook wakeHook;
    private final TeamQuotas quotas;

    SandboxLauncher(SandboxRepository sandboxes, SandboxTransitions transitions, HostDirectory hosts, AuditLog audit,
                    SandboxWakeHook wakeHook, TeamQuotas quotas) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.wakeHook = requireNonNull(wakeHook, "wakeHook");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.transitions = requireNonNull(transitions, "transitions");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
    }

    /** Starts the caller's sandbox on {@code hostId} and returns it running; if it cannot start, nothing of it remains. */
    SandboxRecord launch(Caller caller, UUID hostId, NewSandbox sandbox) throws HostException {
        String sourceName = sandbox.source().name();
        Transition creating = record(caller, hostId, sandbox);
        String id = creating.before().wireId();
        try {
            start(creating.before());
        } catch (HostException | RuntimeException e) {
            sandboxes.delete(creating.before().id());
            failed(caller, id, sourceName, e);
            throw e;
        }
        started(caller, creating, sourceName);
        return transitions.require(caller, id);
    }

    /**
     * Returns the sandbox at once, in state {@code creating}, and starts it on a virtual thread;
     * calls on it wait for the start to end. If it cannot start, it ends in {@code error} with the reason.
     */
    SandboxRecord launchInBackground(Caller caller, UUID hostId, NewSandbox sandbox) {
        String sourceName = sandbox.source().name();
        Transition creating = record(caller, hostId, sandbox);
        SandboxRecord record = creating.before();
        Thread.ofVirtual().name("create-" + record.wireId()).start(() -> {
            try {
                startInBackground(caller, creating, sourceName);
            } catch (RuntimeException e) {
                // the database went away (the server is closing): the reconciler settles it after a restart
                LOG.log(System.Logger.Level.WARNING, "could not record how the start of sandbox {0} ended: {1}",
                        record.wireId(), e.getMessage());
            }
        });
        return record;
    }

    private void startInBackground(Caller caller, Transition creating, String sourceName) {
        try {
            start(creating.before());
        } catch (HostException | RuntimeException e) {
            creating.finish(SandboxState.ERROR, "it could not be started: " + e.getMessage());
            failed(caller, creating.before().wireId(), sourceName, e);
            return;
        }
        started(caller, creating, sourceName);
    }

    /** Records the sandbox within the team's quota, checked in the same transaction (429 when it does not fit). */
    private Transition record(Caller caller, UUID hostId, NewSandbox sandbox) {
        Resources size = sandbox.resources();
        Demand demand = Demand.sandboxes(1, size.vcpus(), size.memoryMb());
        SandboxRecord record = sandboxes.insert(caller.teamId(), hostId, sandbox,
                handle -> quotas.admit(handle, caller.teamId(), demand)).orElseThrow(() -> ApiException
                .conflict("snapshot " + sandbox.source().restorePoint().map(RestorePoint::wireId).orElseThrow()
                        + " is being deleted"));
        return transitions.started(record);
    }

    private void start(SandboxRecord record) throws HostException {
        hosts.require(record.hostId()).sandboxes().create(record.wireId(), record.vcpus(), record.memoryMb(),
                record.diskSizeMb(), record.network(), Ids.SNAPSHOT.format(record.snapshotId()),
                Ids.IMAGE.format(record.imageId()));
    }

    private void started(Caller caller, Transition creating, String sourceName) {
        creating.finish(SandboxState.RUNNING, null);
        audit.record(caller, "sandbox.create", creating.before().wireId(), "ok", Map.of("source", sourceName));
        wakeHook.woke(creating.before());
    }

    private void failed(Caller caller, String id, String sourceName, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "sandbox {0} did not start: {1}", id, e.getMessage());
        audit.record(caller, "sandbox.create", id, "failed", Map.of("source", sourceName,
                "reason", String.valueOf(e.getMessage())));
    }
}
