package dev.amber.host.vm;

import dev.amber.host.Layout;
import dev.amber.host.image.GuestImage;
import dev.amber.host.network.SandboxNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** Starts a sandbox's QEMU with this host's accelerator, guest image and QEMU account, and stops one quietly. */
public final class MachineLauncher {

    /** How long QEMU may take to open its monitor socket. */
    public static final Duration QMP_DEADLINE = Duration.ofSeconds(10);

    private final Accelerator accelerator;
    private final GuestImage image;
    private final String qemuUser;

    /** {@code qemuUser} may be null: QEMU stays as the host agent's user. */
    public MachineLauncher(Accelerator accelerator, GuestImage image, String qemuUser) {
        this.accelerator = requireNonNull(accelerator, "accelerator");
        this.image = requireNonNull(image, "image");
        this.qemuUser = qemuUser;
    }

    /**
     * Launches QEMU for the machine in {@code paths} (its PID recorded there, for the sweeper);
     * {@code incoming}: it waits for a saved state instead of booting.
     */
    public QemuProcess launch(Layout.SandboxPaths paths, MachineResources resources, String hostname,
                              MemoryBacking memory, SandboxNetwork network, boolean incoming) throws IOException {
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.sandbox(accelerator, image, paths, resources, hostname,
                memory, QemuCommandLine.Nic.of(network), incoming, qemuUser), paths.qemuLog());
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
