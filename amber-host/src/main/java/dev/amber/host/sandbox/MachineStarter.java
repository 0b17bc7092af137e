package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.image.GuestImage;
import dev.amber.host.image.QemuImg;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.Accelerator;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.Migration;
import dev.amber.host.vm.QemuCommandLine;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

/**
 * Starts a sandbox's QEMU, either booting the guest image or restoring a saved machine, and
 * returns once the guest agent answers. A restored guest is then told the time, given fresh
 * entropy (clones of one snapshot must never share random numbers) and its own hostname.
 */
final class MachineStarter {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    static final Duration QMP_DEADLINE = Duration.ofSeconds(10);
    static final Duration STATE_DEADLINE = Duration.ofMinutes(2);
    private static final Duration AGENT_AFTER_RESTORE = Duration.ofSeconds(30);

    private final Accelerator accelerator;
    private final GuestImage image;
    private final RuntimeOptions options;
    private final SecureRandom random = new SecureRandom();

    MachineStarter(Accelerator accelerator, GuestImage image, RuntimeOptions options) {
        this.accelerator = accelerator;
        this.image = image;
        this.options = options;
    }

    /** Cold boot onto a fresh overlay of {@code rootDisk}, retried as the options say. */
    void boot(Sandbox sandbox, Path rootDisk) throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        IOException failure = null;
        for (int attempt = 1; attempt <= options.bootAttempts(); attempt++) {
            Files.deleteIfExists(paths.disk());
            Files.deleteIfExists(paths.memory());
            QemuImg.createOverlay(rootDisk, paths.disk(), sandbox.spec().resources().diskSizeMb());
            MemoryBacking memory = MemoryBacking.owned(paths.memory());
            long started = System.nanoTime();
            QemuProcess qemu = launch(sandbox, paths, memory, false);
            QmpClient qmp = null;
            try {
                qmp = QmpClient.connect(paths.qmpSocket(), QMP_DEADLINE);
                AgentChannel channel = AgentChannel.connect(paths.agentSocket(), options.bootTimeout());
                sandbox.booted(qemu, qmp, channel, new AgentClient(channel, options.agentIdleTimeout()),
                        Duration.ofNanos(System.nanoTime() - started), memory);
                return;
            } catch (IOException e) {
                String reason = "attempt " + attempt + " of " + options.bootAttempts() + ": " + e.getMessage()
                        + (qemu.isAlive() ? "" : "; QEMU " + qemu.exitDescription()) + sandbox.describeLogs();
                LOG.log(Level.WARNING, "sandbox {0} failed to boot, {1}", sandbox.id(), reason);
                failure = new SandboxStartException("sandbox " + sandbox.id() + " failed to boot (" + reason + ")", e);
                closeQuietly(qmp, qemu);
            }
        }
        throw failure;
    }

    /** The last step before a restored machine runs: from then on its saved state is out of date. */
    @FunctionalInterface
    interface BeforeRunning {
        void run() throws IOException;
    }

    /**
     * Restores a saved machine: QEMU starts waiting for state, loads {@code state} (with the RAM
     * in it unless {@code ramInMemoryFile}), runs, and the agent is reconnected and refreshed.
     */
    void restore(Sandbox sandbox, MemoryBacking memory, Path state, boolean ramInMemoryFile) throws IOException {
        restore(sandbox, memory, state, ramInMemoryFile, () -> { });
    }

    /** As {@link #restore(Sandbox, MemoryBacking, Path, boolean)}, with {@code beforeRunning} just before the vCPUs start. */
    void restore(Sandbox sandbox, MemoryBacking memory, Path state, boolean ramInMemoryFile, BeforeRunning beforeRunning)
            throws IOException {
        restore(sandbox, launchIncoming(sandbox, memory), state, ramInMemoryFile, beforeRunning);
    }

    /** A QEMU waiting for a saved state ({@code -incoming defer}), its monitor connected. */
    record Incoming(QemuProcess qemu, QmpClient qmp, MemoryBacking memory) {

        void close() {
            closeQuietly(qmp, qemu);
        }
    }

    /** Starts QEMU for {@code sandbox} waiting for a saved state; nothing runs in it yet. */
    Incoming launchIncoming(Sandbox sandbox, MemoryBacking memory) throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        QemuProcess qemu = launch(sandbox, paths, memory, true);
        try {
            return new Incoming(qemu, QmpClient.connect(paths.qmpSocket(), QMP_DEADLINE), memory);
        } catch (IOException e) {
            String reason = e.getMessage() + (qemu.isAlive() ? "" : "; QEMU " + qemu.exitDescription()) + sandbox.describeLogs();
            closeQuietly(null, qemu);
            throw new SandboxStartException("sandbox " + sandbox.id() + " failed to start QEMU (" + reason + ")", e);
        }
    }

    /**
     * Loads {@code state} into a waiting QEMU (with the RAM in it unless {@code ramInMemoryFile}),
     * runs it, and reconnects and refreshes the agent; on failure QEMU is gone.
     */
    void restore(Sandbox sandbox, Incoming incoming, Path state, boolean ramInMemoryFile, BeforeRunning beforeRunning)
            throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        long started = System.nanoTime();
        try {
            Migration.load(incoming.qmp(), paths.qmpFdSocket(), state, ramInMemoryFile, incoming.qemu(), STATE_DEADLINE);
            beforeRunning.run();
            incoming.qmp().execute("cont", Map.of(), QMP_DEADLINE);
            long running = System.nanoTime();
            AgentChannel channel = AgentChannel.connect(paths.agentSocket(), AGENT_AFTER_RESTORE);
            AgentClient agent = new AgentClient(channel, options.agentIdleTimeout());
            long connected = System.nanoTime();
            refresh(sandbox, agent);
            long done = System.nanoTime();
            sandbox.booted(incoming.qemu(), incoming.qmp(), channel, agent, Duration.ofNanos(done - started),
                    incoming.memory());
            sandbox.warmed();
            LOG.log(Level.DEBUG, "sandbox {0} restored: state loaded and running {1} ms, agent {2} ms, "
                    + "clock/entropy/hostname {3} ms", sandbox.id(), millis(running - started),
                    millis(connected - running), millis(done - connected));
        } catch (IOException e) {
            String reason = e.getMessage() + (incoming.qemu().isAlive() ? "" : "; QEMU " + incoming.qemu().exitDescription())
                    + sandbox.describeLogs();
            incoming.close();
            throw new SandboxStartException("sandbox " + sandbox.id() + " failed to restore (" + reason + ")", e);
        }
    }

    /**
     * A helper QEMU that never runs: loads a whole-machine stream into {@code memory} (shared, so
     * the RAM lands in that file) and saves the device state alone to {@code deviceState}. It needs
     * a NIC with a tap backend like the saved one's (the NIC's features are part of its state).
     * The conversion touches nothing of the source, so a failed one is tried once more from scratch:
     * under load its helper QEMU now and then drops the descriptor-passing monitor ("Broken pipe").
     */
    void splitState(Layout.SandboxPaths scratch, Sandbox template, SandboxNetwork network, Path fullState, Path memory,
                    Path disk, Path deviceState) throws IOException {
        try {
            convert(scratch, template, network, fullState, memory, disk, deviceState);
        } catch (IOException first) {
            LOG.log(Level.WARNING, "converting the saved machine of {0} failed ({1}); trying once more", template.id(),
                    first.getMessage());
            LeftoverSweeper.deleteTree(scratch.dir());
            Files.deleteIfExists(memory);
            Files.deleteIfExists(deviceState);
            try {
                convert(scratch, template, network, fullState, memory, disk, deviceState);
            } catch (IOException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private void convert(Layout.SandboxPaths scratch, Sandbox template, SandboxNetwork network, Path fullState,
                         Path memory, Path disk, Path deviceState) throws IOException {
        scratch.create();
        QemuImg.createOverlay(disk, scratch.disk(), template.spec().resources().diskSizeMb());
        Sandbox helper = new Sandbox(template.spec(), scratch);
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.sandbox(accelerator, image, scratch,
                template.spec().resources(), template.id(), MemoryBacking.owned(memory), network, true,
                options.qemuUser()), scratch.qemuLog());
        QmpClient qmp = null;
        try {
            qmp = QmpClient.connect(scratch.qmpSocket(), QMP_DEADLINE);
            Migration.load(qmp, scratch.qmpFdSocket(), fullState, false, qemu, STATE_DEADLINE);
            Migration.save(qmp, scratch.qmpFdSocket(), deviceState, true, STATE_DEADLINE);
            qmp.execute("quit", Map.of(), QMP_DEADLINE);
        } catch (IOException e) {
            throw new IOException("could not convert the saved machine: " + e.getMessage() + helper.describeLogs(), e);
        } finally {
            closeQuietly(qmp, qemu);
        }
    }

    /** The clock jumped while the machine was saved; its entropy is a copy; its name is the snapshot's. */
    private void refresh(Sandbox sandbox, AgentClient agent) throws IOException {
        agent.setClock(System.currentTimeMillis());
        byte[] entropy = new byte[64];
        random.nextBytes(entropy);
        agent.reseed(entropy);
        agent.setHostname(sandbox.id());
    }

    /**
     * Runs, once per machine, the calls every restore of it will make (clock, entropy, hostname):
     * their first run in a guest JVM links native calls and compiles code, which under TCG costs
     * seconds; saved after that, every clone and resume starts with them warm.
     */
    void warm(Sandbox sandbox) throws IOException {
        if (sandbox.isWarm()) {
            return;
        }
        refresh(sandbox, sandbox.agent());
        sandbox.warmed();
    }

    private QemuProcess launch(Sandbox sandbox, Layout.SandboxPaths paths, MemoryBacking memory, boolean incoming)
            throws IOException {
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.sandbox(accelerator, image, paths,
                sandbox.spec().resources(), sandbox.id(), memory, sandbox.network(), incoming, options.qemuUser()),
                paths.qemuLog());
        Files.writeString(paths.pidFile(), Long.toString(qemu.pid()));
        return qemu;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    static void closeQuietly(QmpClient qmp, QemuProcess qemu) {
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
