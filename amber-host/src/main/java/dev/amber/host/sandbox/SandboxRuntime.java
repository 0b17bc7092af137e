package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.image.GuestImage;
import dev.amber.host.image.QemuImg;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.Accelerator;
import dev.amber.host.vm.AcceleratorProbe;
import dev.amber.host.vm.QemuCommandLine;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The VMs of this host: boots them from the guest image onto copy-on-write overlays, hands out
 * their agents, notices when one dies, and tears them down leaving nothing behind.
 */
public final class SandboxRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    private static final Duration QMP_DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Layout layout;
    private final GuestImage image;
    private final AcceleratorProbe.Choice accelerator;
    private final RuntimeOptions options;
    private final HostNetwork network;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();

    private SandboxRuntime(Layout layout, GuestImage image, AcceleratorProbe.Choice accelerator, RuntimeOptions options,
                           HostNetwork network) {
        this.layout = layout;
        this.image = image;
        this.accelerator = accelerator;
        this.options = options;
        this.network = network;
    }

    /** Loads the guest image and chooses the accelerator by a probe boot. */
    public static SandboxRuntime start(Layout layout, RuntimeOptions options) throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(options, "options");
        GuestImage image = GuestImage.load(layout.baseImage());
        AcceleratorProbe.Choice choice = new AcceleratorProbe(layout.cache()).choose(image);
        LOG.log(Level.INFO, "accelerator {0}: {1}", choice.accelerator().lowerName(), choice.reason());
        Files.createDirectories(layout.sandboxes());
        LeftoverSweeper.sweep(layout);
        return new SandboxRuntime(layout, image, choice, options, HostNetwork.start());
    }

    public Accelerator accelerator() {
        return accelerator.accelerator();
    }

    /** Why the accelerator was chosen. */
    public String acceleratorReason() {
        return accelerator.reason();
    }

    public GuestImage image() {
        return image;
    }

    /** Boots a sandbox and returns once its agent answers; on failure nothing of it remains. */
    public Sandbox create(SandboxSpec spec) throws IOException {
        if (spec.resources().diskSizeMb() < image.rootDiskMb()) {
            throw new IllegalArgumentException("diskSizeMb must be at least " + image.rootDiskMb()
                    + " (the size of the guest image), got " + spec.resources().diskSizeMb());
        }
        Layout.SandboxPaths paths = layout.sandbox(spec.id());
        Sandbox sandbox = new Sandbox(spec, paths);
        if (sandboxes.putIfAbsent(spec.id(), sandbox) != null) {
            throw new IllegalStateException("sandbox " + spec.id() + " already exists on this host");
        }
        try {
            paths.create();
            Files.writeString(paths.ownerFile(), Long.toString(ProcessHandle.current().pid()));
            if (options.qemuUser() != null) {
                Files.setOwner(paths.dir(), FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(options.qemuUser()));
            }
            sandbox.attach(SandboxNetwork.create(network, spec.id(), spec.network()));
            boot(sandbox);
            LOG.log(Level.INFO, "sandbox {0} running after {1} ms (pid {2})", spec.id(), sandbox.bootTime().toMillis(),
                    sandbox.pid());
            return sandbox;
        } catch (IOException | RuntimeException e) {
            sandboxes.remove(spec.id());
            sandbox.closeNetwork();
            LeftoverSweeper.deleteTree(paths.dir());
            throw e;
        }
    }

    /** Replaces a running sandbox's egress policy; it takes effect at once, no restart. */
    public void setNetworkPolicy(String id, NetworkPolicy policy) throws IOException {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new SandboxNotFoundException("no sandbox " + id + " on this host");
        }
        sandbox.network().apply(policy);
    }

    private void boot(Sandbox sandbox) throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        IOException failure = null;
        for (int attempt = 1; attempt <= options.bootAttempts(); attempt++) {
            Files.deleteIfExists(paths.disk());
            QemuImg.createOverlay(image.rootDisk(), paths.disk(), sandbox.spec().resources().diskSizeMb());
            long started = System.nanoTime();
            QemuProcess qemu = QemuProcess.launch(QemuCommandLine.sandbox(accelerator(), image, paths,
                    sandbox.spec().resources(), sandbox.id(), sandbox.network(), options.qemuUser()), paths.qemuLog());
            Files.writeString(paths.pidFile(), Long.toString(qemu.pid()));
            QmpClient qmp = null;
            try {
                qmp = QmpClient.connect(paths.qmpSocket(), QMP_DEADLINE);
                AgentChannel channel = AgentChannel.connect(paths.agentSocket(), options.bootTimeout());
                sandbox.booted(qemu, qmp, channel, new AgentClient(channel, options.agentIdleTimeout()),
                        Duration.ofNanos(System.nanoTime() - started));
                return;
            } catch (IOException e) {
                String reason = "attempt " + attempt + " of " + options.bootAttempts() + ": " + e.getMessage()
                        + (qemu.isAlive() ? "" : "; QEMU " + qemu.exitDescription()) + sandbox.describeLogs();
                LOG.log(Level.WARNING, "sandbox {0} failed to boot, {1}", sandbox.id(), reason);
                failure = new SandboxStartException("sandbox " + sandbox.id() + " failed to boot (" + reason + ")", e);
                if (qmp != null) {
                    qmp.close();
                }
                stopQuietly(qemu);
            }
        }
        throw failure;
    }

    /**
     * Saves the sandbox's memory, disk and devices in its directory and stops QEMU; the sandbox
     * stays known as {@link SandboxState#PAUSED}, also to a host agent started later.
     */
    public PauseResult pause(String id) throws IOException {
        throw new UnsupportedOperationException("pause");
    }

    /** Starts a paused sandbox from its saved state, on a network namespace with {@code policy}. */
    public Sandbox resume(String id, NetworkPolicy policy) throws IOException {
        throw new UnsupportedOperationException("resume");
    }

    /** Saves a running sandbox's machine state as snapshot {@code snapshotId}; the sandbox keeps running. */
    public SnapshotResult snapshot(String id, String snapshotId) throws IOException {
        throw new UnsupportedOperationException("snapshot");
    }

    /** Puts a running or paused sandbox back to a snapshot's state; its id and network stay. */
    public Sandbox restore(String id, String snapshotId) throws IOException {
        throw new UnsupportedOperationException("restore");
    }

    /** Deletes a snapshot's files; an unknown id is not an error. */
    public void deleteSnapshot(String snapshotId) throws IOException {
        throw new UnsupportedOperationException("deleteSnapshot");
    }

    public Optional<Sandbox> find(String id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    public List<Sandbox> list() {
        return sandboxes.values().stream().sorted(Comparator.comparing(Sandbox::createdAt)).toList();
    }

    /** Stops the VM (QMP quit, then signals), reaps QEMU and deletes every file of the sandbox. */
    public void destroy(String id) throws IOException {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new SandboxNotFoundException("no sandbox " + id + " on this host");
        }
        if (!sandbox.beginStop()) {
            return;
        }
        long started = System.nanoTime();
        QmpClient qmp = sandbox.qmp();
        QemuProcess qemu = sandbox.qemu();
        if (qmp != null && qemu != null && qemu.isAlive()) {
            try {
                qmp.execute("quit", Map.of(), Duration.ofSeconds(2));
            } catch (IOException e) {
                // QEMU may close the socket before answering; the signals below make sure
            }
        }
        if (qemu != null) {
            try {
                qemu.stop(STOP_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted stopping sandbox " + id);
            }
        }
        sandbox.stopped();
        sandbox.closeNetwork();
        LeftoverSweeper.deleteTree(sandbox.paths().dir());
        sandboxes.remove(id);
        LOG.log(Level.INFO, "sandbox {0} destroyed in {1} ms", id, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Destroys every sandbox of this runtime. */
    @Override
    public void close() {
        for (Sandbox sandbox : list()) {
            try {
                destroy(sandbox.id());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not destroy sandbox {0}: {1}", sandbox.id(), e.getMessage());
            }
        }
    }

    private static void stopQuietly(QemuProcess qemu) {
        try {
            qemu.stop(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
