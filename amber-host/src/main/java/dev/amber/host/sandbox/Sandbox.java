package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.snapshot.LiveMachine;
import dev.amber.host.snapshot.MachineSlot;
import dev.amber.host.snapshot.StartedMachine;
import dev.amber.host.vm.MachineLogs;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One VM on this host: its QEMU, its control sockets, its agent, and what state it is in. */
public final class Sandbox {

    private static final Duration QUIT_DEADLINE = Duration.ofSeconds(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final SandboxSpec spec;
    private final Layout.SandboxPaths paths;
    private final Instant createdAt = Instant.now();
    private volatile SandboxState state = SandboxState.CREATING;
    private volatile String crashReason;
    private volatile QemuProcess qemu;
    private volatile QmpClient qmp;
    private volatile AgentChannel channel;
    private volatile AgentClient agent;
    private volatile Duration bootTime;
    private volatile SandboxNetwork network;
    private volatile NetworkPolicy policy;
    private volatile MemoryBacking memory;
    /** Whether the guest agent's native calls (clock, entropy) are warm, as a restore needs them. */
    private volatile boolean warm;
    /** Set before QEMU is told to quit, so its exit is not taken for a crash. */
    private volatile boolean exitExpected;
    private int overlays;

    Sandbox(SandboxSpec spec, Layout.SandboxPaths paths) {
        this(spec, paths, SandboxState.CREATING);
    }

    private Sandbox(SandboxSpec spec, Layout.SandboxPaths paths, SandboxState state) {
        this.spec = requireNonNull(spec, "spec");
        this.paths = requireNonNull(paths, "paths");
        this.policy = spec.network();
        this.state = state;
    }

    /** A sandbox found paused on disk when the host agent starts. */
    static Sandbox paused(SandboxSpec spec, Layout.SandboxPaths paths) {
        return new Sandbox(spec, paths, SandboxState.PAUSED);
    }

    public String id() {
        return spec.id();
    }

    public SandboxSpec spec() {
        return spec;
    }

    public SandboxState state() {
        return state;
    }

    /** Why QEMU died, when the state is {@link SandboxState#CRASHED}. */
    public Optional<String> crashReason() {
        return Optional.ofNullable(crashReason);
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** From QEMU launch to the agent's hello. */
    public Duration bootTime() {
        return bootTime;
    }

    public long pid() {
        QemuProcess process = qemu;
        return process == null ? -1 : process.pid();
    }

    /** What the agent reported when it connected: version, JVM start-up time, kernel. */
    public Map<String, String> guestInfo() {
        AgentChannel current = channel;
        return current == null ? Map.of() : current.guestInfo();
    }

    /** The guest agent, if the sandbox is running. */
    public AgentClient agent() throws SandboxNotRunningException {
        AgentClient current = agent;
        if (state != SandboxState.RUNNING || current == null) {
            throw new SandboxNotRunningException("sandbox " + id() + " is " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + crashReason().map(reason -> ": " + reason).orElse(""));
        }
        return current;
    }

    Layout.SandboxPaths paths() {
        return paths;
    }

    /** Its network namespace and egress policy. */
    public SandboxNetwork network() {
        return network;
    }

    void attach(SandboxNetwork sandboxNetwork) {
        this.network = sandboxNetwork;
        this.policy = sandboxNetwork.policy();
    }

    /** The egress policy it runs with, or will run with when resumed. */
    NetworkPolicy policy() {
        return policy;
    }

    void applyPolicy(NetworkPolicy newPolicy) throws IOException {
        network.apply(newPolicy);
        this.policy = newPolicy;
    }

    /** Where its RAM lives while it runs. */
    MemoryBacking memory() {
        return memory;
    }

    boolean isWarm() {
        return warm;
    }

    void warmed() {
        this.warm = true;
    }

    /** A node name for the next overlay a live snapshot switches the disk to. */
    synchronized String nextOverlayNode() {
        return "overlay" + (++overlays);
    }

    /** Removes the network namespace, once; the VM must be stopped first. */
    void closeNetwork() throws IOException {
        SandboxNetwork current = network;
        network = null;
        if (current != null) {
            current.close();
        }
    }

    QemuProcess qemu() {
        return qemu;
    }

    QmpClient qmp() {
        return qmp;
    }

    /** Its machine runs: booted, or restored (then its agent's native calls are warm, as saved). */
    void booted(StartedMachine machine) {
        this.memory = machine.memory();
        this.exitExpected = false;
        this.qemu = machine.qemu();
        this.qmp = machine.qmp();
        this.channel = machine.channel();
        this.agent = machine.agent();
        this.bootTime = machine.took();
        this.state = SandboxState.RUNNING;
        QemuProcess process = machine.qemu();
        process.onExit().thenRun(() -> qemuExited(process));
    }

    /** Its machine was restored: it runs, and its agent's native calls are warm, as they were saved. */
    void restored(StartedMachine machine) {
        booted(machine);
        warmed();
    }

    /** Tells QEMU to quit (then signals) and reaps it; its exit is expected, not a crash. */
    void quit() throws IOException {
        expectExit();
        QmpClient control = qmp;
        QemuProcess process = qemu;
        if (control != null && process != null && process.isAlive()) {
            try {
                control.quit(QUIT_DEADLINE);
            } catch (IOException e) {
                // a QEMU that does not answer (hung, or already gone) is stopped by the signals below
            }
        }
        if (process != null) {
            try {
                process.stop(STOP_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted stopping sandbox " + id());
            }
        }
    }

    /** What the snapshot engine saves of it while it runs. */
    LiveMachine live() {
        return new LiveMachine(id(), paths, spec.resources(), qmp, memory, network, guestInfo());
    }

    /** Where the snapshot engine restores its machine: its directory and current network. */
    MachineSlot slot() {
        return new MachineSlot(id(), paths, spec.resources(), network);
    }

    /** Marks the start of a deliberate stop, so QEMU's exit is not taken for a crash. */
    synchronized boolean beginStop() {
        if (state == SandboxState.STOPPING || state == SandboxState.STOPPED) {
            return false;
        }
        state = SandboxState.STOPPING;
        return true;
    }

    void stopped() {
        state = SandboxState.STOPPED;
        closeConnections();
    }

    /** Marks a sandbox whose VM could not be brought back, with the reason. */
    synchronized void crashed(String reason) {
        crashReason = reason;
        state = SandboxState.CRASHED;
    }

    /** QEMU is about to be told to quit on purpose (pause, restore). */
    void expectExit() {
        exitExpected = true;
    }

    /** Its QEMU has exited after a save; only its files remain. */
    void pausedNow() {
        closeConnections();
        qemu = null;
        qmp = null;
        channel = null;
        agent = null;
        state = SandboxState.PAUSED;
    }

    private void qemuExited(QemuProcess process) {
        synchronized (this) {
            if (process != qemu || state != SandboxState.RUNNING || exitExpected) {
                return;
            }
            crashReason = "QEMU " + qemu.exitDescription() + describeLogs();
            state = SandboxState.CRASHED;
        }
        closeConnections();
        System.getLogger("amber.sandbox").log(System.Logger.Level.WARNING,
                "sandbox {0} crashed: {1}", id(), crashReason);
    }

    private String describeLogs() {
        return MachineLogs.describe(paths);
    }

    private void closeConnections() {
        AgentChannel agentChannel = channel;
        if (agentChannel != null) {
            agentChannel.close();
        }
        QmpClient control = qmp;
        if (control != null) {
            control.close();
        }
    }
}
