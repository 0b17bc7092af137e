package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.QemuImg;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.MachineLauncher;
import dev.amber.host.vm.MachineLogs;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.Migration;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Turns a whole-machine stream (saved by a VM that did not own its RAM file) into a snapshot's
 * memory file and device state, with a helper QEMU that never runs: it loads the stream into a
 * shared memory file (so the RAM lands in that file) and saves the device state alone. It needs a
 * NIC with a tap backend like the saved one's (the NIC's features are part of its state), so it
 * gets an offline network of its own.
 */
final class StateSplitter {

    private final Layout layout;
    private final HostNetwork network;
    private final MachineLauncher launcher;

    StateSplitter(Layout layout, HostNetwork network, MachineLauncher launcher) {
        this.layout = requireNonNull(layout, "layout");
        this.network = requireNonNull(network, "network");
        this.launcher = requireNonNull(launcher, "launcher");
    }

    /** Splits {@code target}'s full state, saved from {@code machine}, into its memory and device state. */
    void split(LiveMachine machine, Layout.SnapshotPaths target) throws IOException {
        String helperId = "sb-" + UUID.randomUUID();
        Layout.SandboxPaths scratch = layout.scratch(helperId);
        SandboxNetwork helperNetwork = SandboxNetwork.create(network, helperId, NetworkPolicy.OFFLINE);
        try {
            convert(scratch, machine, helperNetwork, target);
        } finally {
            helperNetwork.close();
            FileTrees.deleteTree(scratch.dir());
        }
        Files.delete(target.fullState());
    }

    private void convert(Layout.SandboxPaths scratch, LiveMachine machine, SandboxNetwork helperNetwork,
                         Layout.SnapshotPaths target) throws IOException {
        scratch.create();
        QemuImg.createOverlay(target.disk(), scratch.disk(), machine.resources().diskSizeMb());
        Path memory = target.memory();
        QemuProcess qemu = launcher.launch(scratch, machine.resources(), machine.id(), new MemoryBacking.OwnedFile(memory),
                helperNetwork, true);
        QmpClient qmp = null;
        try {
            qmp = QmpClient.connect(scratch.qmpSocket(), MachineLauncher.QMP_DEADLINE);
            Migration.load(qmp, scratch.qmpFdSocket(), target.fullState(), false, qemu, MachineRestorer.STATE_DEADLINE);
            Migration.save(qmp, scratch.qmpFdSocket(), target.deviceState(), true, MachineRestorer.STATE_DEADLINE);
            qmp.quit(MachineLauncher.QMP_DEADLINE);
        } catch (IOException e) {
            throw new IOException("could not convert the saved machine: " + e.getMessage() + MachineLogs.describe(scratch), e);
        } finally {
            MachineLauncher.closeQuietly(qmp, qemu);
        }
    }
}
