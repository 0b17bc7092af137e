package dev.amber.server.sandbox;

import dev.amber.server.Ids;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostSandboxes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the database honest about VMs: every few seconds, asks each reachable host (one call; an
 * unreachable one is reconciled when it registers again) what it has and
 * in which state, and marks running or paused sandboxes the host no longer knows as {@code stopped}
 * and running ones whose VM crashed as {@code error}, with the reason; a paused one (by a user or
 * the inactivity reaper) is paused on its host too, which tells it from a crashed one. A running
 * sandbox the host reports paused is left alone (the database is the one to say when a pause has
 * finished). Sandboxes in a transitional state belong to the operation in flight and are never
 * touched, unless the state was written before this server started: then the operation died with
 * the previous server process, and the sandbox takes the state its host reports (a delete is
 * finished: its files may be half gone). Sandboxes a host has and the database does not know are
 * destroyed on their host once they have stayed unknown for {@link #UNKNOWN_GRACE}. Every change is
 * a compare-and-set on the state it saw.
 */
public final class Reconciler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.reconciler");
    /** How long a sandbox must stay unknown to the database before its host is told to destroy it. */
    static final Duration UNKNOWN_GRACE = Duration.ofSeconds(60);

    private final HostDirectory hosts;
    private final SandboxRepository sandboxes;
    private final UnknownSandboxes unknown = new UnknownSandboxes(UNKNOWN_GRACE);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("reconciler").factory());

    public Reconciler(HostDirectory hosts, SandboxRepository sandboxes) {
        this.hosts = requireNonNull(hosts, "hosts");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
    }

    public void start(long periodMillis) {
        timer.scheduleWithFixedDelay(this::reconcileAll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public void reconcileAll() {
        for (UUID host : hosts.connected()) {
            hosts.client(host).ifPresent(client -> reconcile(host, client));
        }
    }

    /**
     * Compares one host's report with the database. The database is read first: a sandbox that was
     * settled before the host answered must appear in the answer, whereas one that settled after
     * (a create or resume finishing) would look gone.
     */
    public void reconcile(UUID hostId, HostClient client) {
        List<SandboxRecord> recorded = sandboxes.activeOnHost(hostId);
        Set<UUID> interrupted = sandboxes.interruptedOnHost(hostId);
        Map<String, HostSandboxes.HostSandbox> onHost;
        try {
            onHost = client.sandboxes().list().stream()
                    .collect(Collectors.toMap(HostSandboxes.HostSandbox::sandboxId, Function.identity()));
        } catch (HostException | RuntimeException e) {
            // Not a sign of death by itself (a loaded host can miss a deadline): heartbeats decide reachability.
            LOG.log(System.Logger.Level.WARNING, "host {0} did not answer: {1}", Ids.HOST.format(hostId), e.getMessage());
            return;
        }
        Set<String> unrecorded = new HashSet<>(onHost.keySet());
        for (SandboxRecord record : recorded) {
            String id = Ids.SANDBOX.format(record.id());
            unrecorded.remove(id);
            HostSandboxes.HostSandbox vm = onHost.get(id);
            if (record.state().isTransitional()) {
                if (interrupted.contains(record.id())) {
                    settleInterrupted(client, record, vm);
                }
                continue;
            }
            if (record.state() != SandboxState.RUNNING && record.state() != SandboxState.PAUSED) {
                continue;
            }
            if (vm == null) {
                settle(record, SandboxState.STOPPED, (record.state() == SandboxState.PAUSED ? "its saved state is gone"
                        : "its VM is gone") + " from host " + Ids.HOST.format(hostId)
                        + " (the host restarted or the VM was removed)");
            } else if (vm.state().equals("crashed")) {
                settle(record, SandboxState.ERROR, "its VM crashed: " + vm.reason());
            }
        }
        removeUnknown(hostId, client, unrecorded);
    }

    /** Destroys the sandboxes of a host that have been unknown to the database for the grace period. */
    private void removeUnknown(UUID hostId, HostClient client, Set<String> unrecorded) {
        for (String id : unknown.due(hostId, unrecorded, Instant.now())) {
            try {
                client.sandboxes().destroy(id);
                LOG.log(System.Logger.Level.WARNING, "destroyed sandbox {0} on host {1}: the database has had no "
                        + "record of it for {2} s", id, Ids.HOST.format(hostId), UNKNOWN_GRACE.toSeconds());
            } catch (HostException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not destroy sandbox {0} unknown to the database on host "
                        + "{1}; trying again next round: {2}", id, Ids.HOST.format(hostId), e.getMessage());
            }
        }
    }

    /** A transition a gone server process began and never finished: the host says where it ended. */
    private void settleInterrupted(HostClient client, SandboxRecord record, HostSandboxes.HostSandbox vm) {
        String interrupted = "the server stopped while the sandbox was " + record.state().wireName();
        if (record.state() == SandboxState.STOPPING) {
            finishStop(client, record, interrupted);
            return;
        }
        if (vm == null) {
            settle(record, SandboxState.STOPPED, interrupted + ", and its VM is gone");
            return;
        }
        switch (vm.state()) {
            case "running" -> settle(record, SandboxState.RUNNING, interrupted + "; it kept running");
            case "paused" -> settle(record, SandboxState.PAUSED, interrupted + "; it is paused");
            case "crashed" -> settle(record, SandboxState.ERROR, interrupted + ", and its VM crashed: " + vm.reason());
            default -> {
                // still being created or stopped by the host: the next round settles it
            }
        }
    }

    /**
     * A delete the previous server process began: its host may have deleted part of the files (a
     * paused sandbox's saved state, say), so the sandbox cannot go back; the delete is finished.
     */
    private void finishStop(HostClient client, SandboxRecord record, String interrupted) {
        String id = Ids.SANDBOX.format(record.id());
        try {
            client.sandboxes().destroy(id);
        } catch (HostException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not finish the interrupted delete of sandbox {0}; trying again "
                    + "next round: {1}", id, e.getMessage());
            return;
        }
        settle(record, SandboxState.STOPPED, "deleted by the user (" + interrupted + "; the delete was finished)");
    }

    private void settle(SandboxRecord record, SandboxState state, String reason) {
        if (sandboxes.transition(record.id(), record.state(), state, reason)) {
            LOG.log(System.Logger.Level.WARNING, "sandbox {0} {1} -> {2}: {3}", Ids.SANDBOX.format(record.id()),
                    record.state().wireName(), state.wireName(), reason);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
