package dev.amber.host.vm;

import dev.amber.host.Layout;
import dev.amber.host.confine.Confinement;
import dev.amber.host.confine.Confiner;
import dev.amber.host.image.DiskChainRule;
import dev.amber.host.image.GuestImage;
import dev.amber.host.network.SandboxNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Starts a sandbox's QEMU with this host's machine model and guest image, on a disk chain checked
 * first, shut in by the confiner when the host has one; and stops one quietly.
 */
public final class MachineLauncher {

    /** How long QEMU may take to open its monitor socket. */
    public static final Duration QMP_DEADLINE = Duration.ofSeconds(10);

    private final MachineModel machine;
    private final GuestImage image;
    private final DiskChainRule diskChain;
    private final Optional<Confiner> confiner;

    /** {@code confiner} empty: QEMU stays the host agent's user, in no cgroup of its own. */
    public MachineLauncher(MachineModel machine, GuestImage image, DiskChainRule diskChain,
                           Optional<Confiner> confiner) {
        this.machine = requireNonNull(machine, "machine");
        this.image = requireNonNull(image, "image");
        this.diskChain = requireNonNull(diskChain, "diskChain");
        this.confiner = requireNonNull(confiner, "confiner");
    }

    /**
     * Launches QEMU for the machine in {@code paths} (its PID recorded there, for the sweeper);
     * {@code incoming}: it waits for a saved state instead of booting. Refuses a disk whose chain
     * leaves the places Amber keeps disks ({@link dev.amber.host.image.UnsafeDiskException}).
     */
    public QemuProcess launch(Layout.SandboxPaths paths, MachineResources resources, String hostname,
                              MemoryBacking memory, SandboxNetwork network, boolean incoming) throws IOException {
        diskChain.check(paths.disk(), paths.dir());
        Optional<Confinement> confinement = confiner.isPresent()
                ? Optional.of(confiner.get().confine(hostname, paths.dir(), resources.vcpus(), resources.memoryMb()))
                : Optional.empty();
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.sandbox(machine, image, paths, resources, hostname,
                memory, QemuCommandLine.Nic.of(network), incoming, confinement.map(Confinement::jail)),
                paths.qemuLog(), confinement);
        Files.writeString(paths.pidFile(), Long.toString(qemu.pid()));
        return qemu;
    }

    /** Closes the monitor (if any) and stops QEMU, ignoring how. */
    public static void closeQuietly(QmpClient qmp, QemuProcess qemu) {
        if (qmp != null) {
            qmp.close();
        }
        try {
            qemu.stop(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
