package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.vm.MachineLauncher;
import dev.amber.host.vm.MachineLogs;
import dev.amber.host.vm.MachineStartException;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.Migration;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Brings a saved machine back: QEMU starts waiting for state ({@code -incoming defer}), loads the
 * device state (and the RAM, when it is in the stream), runs, and the agent is reconnected and
 * refreshed ({@link AgentState#refresh}). Used for clones of snapshots, resumes and rollbacks.
 */
public final class MachineRestorer {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    /** How long a machine's state may take to save or load. */
    public static final Duration STATE_DEADLINE = Duration.ofMinutes(2);
    private static final Duration AGENT_AFTER_RESTORE = Duration.ofSeconds(30);

    private final MachineLauncher launcher;
    private final Duration agentIdleTimeout;

    public MachineRestorer(MachineLauncher launcher, Duration agentIdleTimeout) {
        this.launcher = requireNonNull(launcher, "launcher");
        this.agentIdleTimeout = requireNonNull(agentIdleTimeout, "agentIdleTimeout");
    }

    /** The last step before a restored machine runs: from then on its saved state is out of date. */
    @FunctionalInterface
    public interface BeforeRunning {
        void run() throws IOException;
    }

    /** A QEMU waiting for a saved state ({@code -incoming defer}), its monitor connected. */
    public record Incoming(QemuProcess qemu, QmpClient qmp, MemoryBacking memory) {

        public void close() {
            MachineLauncher.closeQuietly(qmp, qemu);
        }
    }

    /** Starts QEMU for {@code slot} waiting for a saved state; nothing runs in it yet. */
    public Incoming launchIncoming(MachineSlot slot, MemoryBacking memory) throws IOException {
        Layout.SandboxPaths paths = slot.paths();
        QemuProcess qemu = launcher.launch(paths, slot.resources(), slot.id(), memory, slot.network(), true);
        try {
            return new Incoming(qemu, QmpClient.connect(paths.qmpSocket(), MachineLauncher.QMP_DEADLINE), memory);
        } catch (IOException e) {
            String reason = e.getMessage() + (qemu.isAlive() ? "" : "; QEMU " + qemu.exitDescription())
                    + MachineLogs.describe(paths);
            MachineLauncher.closeQuietly(null, qemu);
            throw new MachineStartException("sandbox " + slot.id() + " failed to start QEMU (" + reason + ")", e);
        }
    }

    /**
     * Restores a saved machine into {@code slot}: {@code state} is loaded (with the RAM in it
     * unless {@code ramInMemoryFile}), {@code beforeRunning} runs just before the vCPUs start.
     */
    public StartedMachine restore(MachineSlot slot, MemoryBacking memory, Path state, boolean ramInMemoryFile,
                                  BeforeRunning beforeRunning) throws IOException {
        return restore(slot, launchIncoming(slot, memory), state, ramInMemoryFile, beforeRunning);
    }

    /**
     * Loads {@code state} into a waiting QEMU (with the RAM in it unless {@code ramInMemoryFile}),
     * runs it, and reconnects and refreshes the agent; on failure QEMU is gone.
     */
    public StartedMachine restore(MachineSlot slot, Incoming incoming, Path state, boolean ramInMemoryFile,
                                  BeforeRunning beforeRunning) throws IOException {
        Layout.SandboxPaths paths = slot.paths();
        long started = System.nanoTime();
        try {
            Migration.load(incoming.qmp(), paths.qmpFdSocket(), state, ramInMemoryFile, incoming.qemu(), STATE_DEADLINE);
            beforeRunning.run();
            incoming.qmp().cont();
            long running = System.nanoTime();
            AgentChannel channel = AgentChannel.connect(paths.agentSocket(), AGENT_AFTER_RESTORE);
            AgentClient agent = new AgentClient(channel, agentIdleTimeout);
            long connected = System.nanoTime();
            AgentState.refresh(agent, slot.id());
            long done = System.nanoTime();
            LOG.log(Level.DEBUG, "sandbox {0} restored: state loaded and running {1} ms, agent {2} ms, "
                    + "clock/entropy/hostname {3} ms", slot.id(), millis(running - started),
                    millis(connected - running), millis(done - connected));
            return new StartedMachine(incoming.qemu(), incoming.qmp(), channel, agent, Duration.ofNanos(done - started),
                    incoming.memory());
        } catch (IOException e) {
            String reason = e.getMessage() + (incoming.qemu().isAlive() ? "" : "; QEMU " + incoming.qemu().exitDescription())
                    + MachineLogs.describe(paths);
            incoming.close();
            throw new MachineStartException("sandbox " + slot.id() + " failed to restore (" + reason + ")", e);
        }
    }

    /**
     * Runs, once per machine, the calls every restore of it will make (clock, entropy, hostname):
     * their first run in a guest JVM links native calls and compiles code, which under TCG costs
     * seconds; saved after that, every clone and resume starts with them warm.
     */
    public void warm(AgentClient agent, String hostname) throws IOException {
        AgentState.refresh(agent, hostname);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
