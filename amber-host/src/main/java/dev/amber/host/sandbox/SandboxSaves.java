package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.snapshot.MachineRestorer;
import dev.amber.host.snapshot.PauseManifest;
import dev.amber.host.snapshot.PauseResult;
import dev.amber.host.snapshot.SnapshotEngine;
import dev.amber.host.snapshot.SnapshotResult;
import dev.amber.host.snapshot.SnapshotStore;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The transitions of a sandbox that save or load its machine: pause, resume, snapshot and
 * rollback. Each takes the sandbox's lock, checks its state, and leaves the saving and restoring
 * to the snapshot engine.
 */
final class SandboxSaves {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    private final HostNetwork network;
    private final SnapshotStore snapshots;
    private final SnapshotEngine engine;
    private final MachineRestorer restorer;

    SandboxSaves(HostNetwork network, SnapshotStore snapshots, SnapshotEngine engine, MachineRestorer restorer) {
        this.network = requireNonNull(network, "network");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.engine = requireNonNull(engine, "engine");
        this.restorer = requireNonNull(restorer, "restorer");
    }

    /**
     * Saves the sandbox's memory, disk and devices in its directory and stops QEMU; the sandbox
     * stays known as {@link SandboxState#PAUSED}, also to a host agent started later. If the save
     * fails, the VM runs on as before.
     */
    PauseResult pause(Sandbox sandbox) throws IOException {
        String id = sandbox.id();
        synchronized (sandbox) {
            SandboxRegistry.requireRunning(sandbox);
            long started = System.nanoTime();
            warm(sandbox);
            PauseManifest saved = engine.pause(sandbox.live());
            sandbox.quit();
            sandbox.pausedNow();
            sandbox.closeNetwork();
            long bytes = saved.stateBytes();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.log(Level.INFO, "sandbox {0} paused in {1} ms ({2} bytes of state)", id, took.toMillis(), bytes);
            return new PauseResult(took, bytes);
        }
    }

    /** Starts a paused sandbox from its saved state, on a network namespace with {@code policy}. */
    Sandbox resume(Sandbox sandbox, NetworkPolicy policy) throws IOException {
        String id = sandbox.id();
        synchronized (sandbox) {
            if (sandbox.state() != SandboxState.PAUSED) {
                throw new SandboxNotRunningException("sandbox " + id + " is not paused but "
                        + sandbox.state().name().toLowerCase(Locale.ROOT));
            }
            Layout.SandboxPaths paths = sandbox.paths();
            PauseManifest manifest = engine.paused(paths);
            sandbox.attach(SandboxNetwork.create(network, id, policy));
            try {
                sandbox.restored(engine.resume(sandbox.slot(), manifest));
            } catch (IOException | RuntimeException e) {
                sandbox.closeNetwork();
                if (!Files.exists(paths.pauseManifest())) {
                    sandbox.crashed("it failed while resuming, after its saved state was used: " + e.getMessage());
                }
                throw e;
            }
            Files.delete(paths.savedState());
            LOG.log(Level.INFO, "sandbox {0} resumed in {1} ms", id, sandbox.bootTime().toMillis());
            return sandbox;
        }
    }

    /** Saves a running sandbox's machine state as snapshot {@code target}; the sandbox keeps running. */
    SnapshotResult snapshot(Sandbox sandbox, Layout.SnapshotPaths target) throws IOException {
        synchronized (sandbox) {
            SandboxRegistry.requireRunning(sandbox);
            long started = System.nanoTime();
            warm(sandbox);
            return engine.snapshot(sandbox.live(), sandbox.nextOverlayNode(), target, started);
        }
    }

    /** The agent calls every restore makes, run once before the machine is first saved (see {@link MachineRestorer#warm}). */
    private void warm(Sandbox sandbox) throws IOException {
        if (!sandbox.isWarm()) {
            restorer.warm(sandbox.agent(), sandbox.id());
            sandbox.warmed();
        }
    }

    /** Puts a running or paused sandbox back to a snapshot's state; its id and network stay. */
    Sandbox rollback(Sandbox sandbox, String snapshotId) throws IOException {
        String id = sandbox.id();
        synchronized (sandbox) {
            Layout.SnapshotPaths snapshot = snapshots.paths(snapshotId);
            snapshots.open(snapshot);
            SandboxState before = sandbox.state();
            if (before != SandboxState.RUNNING && before != SandboxState.PAUSED) {
                throw new SandboxNotRunningException("sandbox " + id + " is " + before.name().toLowerCase(Locale.ROOT));
            }
            if (before == SandboxState.RUNNING) {
                sandbox.quit();
                sandbox.pausedNow();
            } else {
                sandbox.attach(SandboxNetwork.create(network, id, sandbox.policy()));
            }
            Layout.SandboxPaths paths = sandbox.paths();
            Files.deleteIfExists(paths.pauseManifest());
            Files.deleteIfExists(paths.savedState());
            try {
                sandbox.restored(engine.restore(sandbox.slot(), snapshot));
            } catch (IOException | RuntimeException e) {
                sandbox.crashed("rollback to " + snapshotId + " failed: " + e.getMessage());
                throw e;
            }
            LOG.log(Level.INFO, "sandbox {0} rolled back to {1} in {2} ms", id, snapshotId, sandbox.bootTime().toMillis());
            return sandbox;
        }
    }
}
