package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.process.CommandRunner;
import dev.amber.host.vm.HostPlatform;
import dev.amber.host.vm.MachineLauncher;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.Migration;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The one coordinator of saving and restoring machines. Each component saves and restores its own
 * part: the devices through QEMU's migration ({@link Migration}), the disk as a frozen layer and
 * its chain ({@link DiskChain}), the RAM as a memory file (copied, or split out of a whole-machine
 * stream by {@link StateSplitter}) mapped privately by clones, the network and the agent as
 * recorded state ({@link NetworkState}, {@link AgentState}); the manifest lists them all and is
 * written last. Callers serialise operations on one machine.
 */
public final class SnapshotEngine {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    private final SnapshotStore store;
    private final MachineRestorer restorer;
    private final StateSplitter splitter;
    private final HostPlatform platform;

    public SnapshotEngine(Layout layout, HostNetwork network, SnapshotStore store,
                          MachineRestorer restorer, MachineLauncher launcher, HostPlatform platform) {
        this.store = requireNonNull(store, "store");
        this.restorer = requireNonNull(restorer, "restorer");
        this.splitter = new StateSplitter(layout, network, launcher);
        this.platform = requireNonNull(platform, "platform");
    }

    /**
     * Saves a running machine as snapshot {@code target}; the machine keeps running. Its vCPUs
     * stop while the disk is frozen (it continues on a new overlay, node {@code overlayNode}, over
     * the frozen layer, which the snapshot keeps) and the devices (and RAM) are saved; the RAM
     * conversion, the hashes and the manifest come after the vCPUs run again. {@code started}
     * ({@link System#nanoTime()}) is when the caller began the operation, for its duration.
     */
    public SnapshotResult snapshot(LiveMachine machine, String overlayNode, Layout.SnapshotPaths target, long started)
            throws IOException {
        SnapshotStore.prepare(target);
        boolean ramInFile = machine.ramInOwnFile();
        QmpClient qmp = machine.qmp();
        long stopped = System.nanoTime();
        qmp.stop();
        Duration window;
        try {
            DiskChain.freeze(machine, target.disk(), overlayNode);
            Layout.SandboxPaths paths = machine.paths();
            if (ramInFile) {
                Migration.save(qmp, paths.qmpFdSocket(), target.deviceState(), true, MachineRestorer.STATE_DEADLINE);
                CommandRunner.run(List.of("cp", "--sparse=always", paths.memory().toString(), target.memory().toString()),
                        MachineRestorer.STATE_DEADLINE);
            } else {
                Migration.save(qmp, paths.qmpFdSocket(), target.fullState(), false, MachineRestorer.STATE_DEADLINE);
            }
        } catch (IOException | RuntimeException e) {
            if (!Files.exists(target.disk())) {
                store.delete(target);
            }
            // otherwise the running disk sits on the frozen layer now: the directory must stay
            throw e;
        } finally {
            qmp.cont();
            window = Duration.ofNanos(System.nanoTime() - stopped);
        }
        if (!ramInFile) {
            splitter.split(machine, target);
        }
        store.seal(target, machine.resources(), new AgentState(machine.guestInfo()), NetworkState.of(machine.network()));
        long bytes = sizeOf(target.dir());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.log(Level.INFO, "sandbox {0} snapshot {1} in {2} ms (paused {3} ms, {4} bytes)", machine.id(),
                target.dir().getFileName(), took.toMillis(), window.toMillis(), bytes);
        return new SnapshotResult(window, took, bytes, machine.resources());
    }

    /**
     * Saves a running machine's devices (and its RAM, unless the RAM is in its own file) in its
     * directory, then the pause manifest; the vCPUs stay stopped for QEMU to be quit. If the save
     * fails, the machine runs on as before.
     */
    public PauseManifest pause(LiveMachine machine) throws IOException {
        Layout.SandboxPaths paths = machine.paths();
        boolean ramInState = !machine.ramInOwnFile();
        QmpClient qmp = machine.qmp();
        qmp.stop();
        try {
            Migration.save(qmp, paths.qmpFdSocket(), paths.savedState(), !ramInState, MachineRestorer.STATE_DEADLINE);
            PauseManifest manifest = PauseManifest.of(machine, ramInState,
                    platform.recording(new AgentState(machine.guestInfo()).agentVersion()));
            manifest.write(paths.pauseManifest());
            return manifest;
        } catch (IOException e) {
            Files.deleteIfExists(paths.savedState());
            qmp.cont();
            throw e;
        }
    }

    /**
     * The pause manifest of a paused machine's directory, checked against the files it lists and
     * against this host's platform ({@link SnapshotIncompatibleException}).
     */
    public PauseManifest paused(Layout.SandboxPaths paths) throws IOException {
        PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
        manifest.verify(paths, platform);
        return manifest;
    }

    /**
     * Restores a paused machine into {@code slot}. Once the guest runs, its RAM file and disk move
     * past the saved state: the pause manifest is deleted then, not after, so a crash from there
     * on never resumes it twice. The saved state is left for the caller to delete.
     */
    public StartedMachine resume(MachineSlot slot, PauseManifest manifest) throws IOException {
        Layout.SandboxPaths paths = slot.paths();
        return restorer.restore(slot, manifest.memory(paths), paths.savedState(), !manifest.ramInState(),
                () -> Files.delete(paths.pauseManifest()));
    }

    /** A fresh overlay on the snapshot's frozen disk, its memory mapped privately, its devices loaded. */
    public StartedMachine restore(MachineSlot slot, Layout.SnapshotPaths snapshot) throws IOException {
        Layout.SandboxPaths paths = slot.paths();
        Files.deleteIfExists(paths.memory());
        DiskChain.overlay(snapshot.disk(), paths.disk(), slot.resources().diskSizeMb());
        return restorer.restore(slot, new MemoryBacking.PrivateCopy(snapshot.memory()), snapshot.deviceState(), true,
                () -> { });
    }

    /** Restores into a pre-started machine, which waits with the snapshot's memory mapped. */
    public StartedMachine restore(MachineSlot slot, PrestartedMachines.Machine machine) throws IOException {
        return restorer.restore(slot, machine.incoming(), machine.source().snapshot().deviceState(), true, () -> { });
    }

    /** Bytes the files under {@code dir} occupy on disk (sparse files count what is allocated). */
    private static long sizeOf(Path dir) throws IOException {
        String usage = CommandRunner.run(List.of("du", "-s", "-B1", dir.toString()), Duration.ofSeconds(30));
        return Long.parseLong(usage.substring(0, usage.indexOf('\t')).strip());
    }
}
