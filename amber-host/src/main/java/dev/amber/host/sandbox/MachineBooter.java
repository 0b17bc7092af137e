package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.image.QemuImg;
import dev.amber.host.snapshot.StartedMachine;
import dev.amber.host.vm.MachineLauncher;
import dev.amber.host.vm.MachineLogs;
import dev.amber.host.vm.MachineStartException;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** Cold-boots a sandbox's QEMU from a root disk and returns once the guest agent answers; restores are the snapshot engine's. */
final class MachineBooter {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    private final MachineLauncher launcher;
    private final RuntimeOptions options;

    MachineBooter(MachineLauncher launcher, RuntimeOptions options) {
        this.launcher = requireNonNull(launcher, "launcher");
        this.options = requireNonNull(options, "options");
    }

    /** Cold boot onto a fresh overlay of {@code rootDisk}, its RAM in its own file, retried as the options say. */
    void boot(Sandbox sandbox, Path rootDisk) throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        IOException failure = null;
        for (int attempt = 1; attempt <= options.bootAttempts(); attempt++) {
            Files.deleteIfExists(paths.disk());
            Files.deleteIfExists(paths.memory());
            QemuImg.createOverlay(rootDisk, paths.disk(), sandbox.spec().resources().diskSizeMb());
            MemoryBacking memory = new MemoryBacking.OwnedFile(paths.memory());
            long started = System.nanoTime();
            QemuProcess qemu = launcher.launch(paths, sandbox.spec().resources(), sandbox.id(), memory, sandbox.network(),
                    false);
            QmpClient qmp = null;
            try {
                qmp = QmpClient.connect(paths.qmpSocket(), MachineLauncher.QMP_DEADLINE);
                AgentChannel channel = AgentChannel.connect(paths.agentSocket(), options.bootTimeout());
                sandbox.booted(new StartedMachine(qemu, qmp, channel, new AgentClient(channel, options.agentIdleTimeout()),
                        Duration.ofNanos(System.nanoTime() - started), memory));
                return;
            } catch (IOException e) {
                String reason = "attempt " + attempt + " of " + options.bootAttempts() + ": " + e.getMessage()
                        + (qemu.isAlive() ? "" : "; QEMU " + qemu.exitDescription()) + MachineLogs.describe(paths);
                LOG.log(Level.WARNING, "sandbox {0} failed to boot, {1}", sandbox.id(), reason);
                failure = new MachineStartException("sandbox " + sandbox.id() + " failed to boot (" + reason + ")", e);
                MachineLauncher.closeQuietly(qmp, qemu);
            }
        }
        throw failure;
    }
}
