package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.image.GuestImage;
import dev.amber.host.image.QemuImg;
import dev.amber.host.image.TemplateImages;
import dev.amber.host.machine.MachineLoad;
import dev.amber.host.metrics.MetricsSampler;
import dev.amber.host.metrics.SampleTarget;
import dev.amber.host.metrics.SandboxSeries;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.process.CommandRunner;
import dev.amber.host.snapshot.SnapshotManifest;
import dev.amber.host.snapshot.SnapshotStore;
import dev.amber.host.vm.Accelerator;
import dev.amber.host.vm.AcceleratorProbe;
import dev.amber.host.vm.FdPassingMonitor;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.Migration;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The VMs of this host: boots them from the guest image onto copy-on-write overlays, or restores
 * them from snapshots; pauses, resumes, snapshots and rolls them back; hands out their agents,
 * notices when one dies, and tears them down leaving nothing behind. Operations on one sandbox
 * are serialised; a failed operation leaves the sandbox as it was.
 */
public final class SandboxRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    private static final Duration QMP_DEADLINE = MachineStarter.QMP_DEADLINE;
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Layout layout;
    private final MachineLoad machineLoad;
    private final GuestImage image;
    private final AcceleratorProbe.Choice accelerator;
    private final RuntimeOptions options;
    private final HostNetwork network;
    private final MachineStarter starter;
    private final SnapshotStore snapshots;
    private final BaseSnapshots bases;
    private final PrestartedMachines prestarted;
    private final TemplateImages templateImages;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final MetricsSampler sampler;

    private SandboxRuntime(Layout layout, GuestImage image, AcceleratorProbe.Choice accelerator, RuntimeOptions options,
                           HostNetwork network) {
        this.layout = layout;
        this.image = image;
        this.accelerator = accelerator;
        this.options = options;
        this.network = network;
        this.starter = new MachineStarter(accelerator.accelerator(), image, options);
        this.snapshots = new SnapshotStore(layout, image.key());
        this.machineLoad = new MachineLoad(layout.sandboxes());
        this.bases = new BaseSnapshots(this, layout, snapshots, image.key(), options.baseSnapshots());
        this.prestarted = new PrestartedMachines(layout, network, starter, options.prestartedMachines());
        this.templateImages = new TemplateImages(layout, image.key());
        this.sampler = MetricsSampler.start(this::sampleTargets);
    }

    /** Loads the guest image, chooses the accelerator by a probe boot, and takes over paused sandboxes. */
    public static SandboxRuntime start(Layout layout, RuntimeOptions options) throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(options, "options");
        GuestImage image = GuestImage.load(layout.baseImage());
        AcceleratorProbe.Choice choice = new AcceleratorProbe(layout.cache()).choose(image);
        LOG.log(Level.INFO, "accelerator {0}: {1}", choice.accelerator().lowerName(), choice.reason());
        Files.createDirectories(layout.sandboxes());
        LeftoverSweeper.sweep(layout);
        SandboxRuntime runtime = new SandboxRuntime(layout, image, choice, options, HostNetwork.start());
        runtime.adoptPaused();
        runtime.bases.removeStale();
        runtime.templateImages.removePartial();
        return runtime;
    }

    /** The machine's capacity and load now (CPU since the previous call). */
    public MachineLoad.Reading load() throws IOException {
        return machineLoad.read();
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

    BaseSnapshots baseSnapshots() {
        return bases;
    }

    PrestartedMachines prestartedMachines() {
        return prestarted;
    }

    /** Whether sandboxes of this size start from a base snapshot rather than a boot. */
    public boolean hasBaseSnapshot(MachineResources resources) {
        return bases.find(resources).isPresent();
    }

    /**
     * Boots a sandbox, or restores it from {@code spec.snapshotId()} (with the snapshot's
     * resources), and returns once its agent answers; on failure nothing of it remains.
     */
    public Sandbox create(SandboxSpec spec) throws IOException {
        SandboxSpec effective = spec;
        Optional<PrestartedMachines.Source> source = Optional.empty();
        Path rootDisk = image.rootDisk();
        if (spec.snapshotId() != null) {
            Layout.SnapshotPaths snapshot = snapshots.paths(spec.snapshotId());
            SnapshotManifest manifest = snapshots.open(snapshot);
            source = Optional.of(new PrestartedMachines.Source(snapshot, manifest));
            effective = new SandboxSpec(spec.id(), manifest.resources(), spec.network(), spec.snapshotId());
        } else if (spec.imageId() != null) {
            TemplateImages.Image bootImage = templateImages.open(spec.imageId());
            rootDisk = bootImage.disk();
            requireDiskOf(spec, bootImage.diskSizeMb(), "template image " + spec.imageId());
        } else {
            requireDiskOf(spec, image.rootDiskMb(), "the guest image");
            source = bases.find(spec.resources());
        }
        Layout.SandboxPaths paths = layout.sandbox(spec.id());
        Sandbox sandbox = new Sandbox(effective, paths);
        if (sandboxes.putIfAbsent(spec.id(), sandbox) != null) {
            throw new IllegalStateException("sandbox " + spec.id() + " already exists on this host");
        }
        try {
            Optional<PrestartedMachines.Machine> machine = source.flatMap(from -> prestarted.take(from, spec.network()));
            if (machine.isPresent()) {
                startPrestarted(sandbox, machine.get());
            } else {
                paths.create();
                Files.writeString(paths.ownerFile(), Long.toString(ProcessHandle.current().pid()));
                sandbox.attach(SandboxNetwork.create(network, spec.id(), spec.network()));
                if (source.isPresent()) {
                    startFromSnapshot(sandbox, source.get().snapshot());
                } else {
                    starter.boot(sandbox, rootDisk);
                    if (spec.imageId() == null) {
                        bases.offer(spec.resources());
                    }
                }
            }
            LOG.log(Level.INFO, "sandbox {0} running after {1} ms (pid {2}{3})", spec.id(), sandbox.bootTime().toMillis(),
                    sandbox.pid(), machine.isPresent() ? ", pre-started" : "");
            return sandbox;
        } catch (IOException | RuntimeException e) {
            sandboxes.remove(spec.id());
            sandbox.closeNetwork();
            LeftoverSweeper.deleteTree(paths.dir());
            throw e;
        }
    }

    private static void requireDiskOf(SandboxSpec spec, long imageMb, String what) {
        if (spec.resources().diskSizeMb() < imageMb) {
            throw new IllegalArgumentException("diskSizeMb must be at least " + imageMb + " (the size of " + what
                    + "), got " + spec.resources().diskSizeMb());
        }
    }

    /**
     * Takes over a machine that waits for the snapshot's state: its directory becomes the
     * sandbox's, its network the sandbox's (with the policy asked for), and the state is loaded.
     */
    private void startPrestarted(Sandbox sandbox, PrestartedMachines.Machine machine) throws IOException {
        try {
            Files.move(machine.dir(), sandbox.paths().dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            machine.destroy();
            throw e;
        }
        sandbox.attach(machine.network());
        try {
            LeftoverSweeper.recordLaunchDir(sandbox.paths(), machine.dir());
            if (!machine.network().policy().equals(sandbox.spec().network())) {
                sandbox.applyPolicy(sandbox.spec().network());
            }
        } catch (IOException | RuntimeException e) {
            machine.incoming().close();
            throw e;
        }
        starter.restore(sandbox, machine.incoming(), machine.source().snapshot().deviceState(), true, () -> { });
    }

    /** A fresh overlay on the snapshot's frozen disk, its memory mapped privately, its devices loaded. */
    private void startFromSnapshot(Sandbox sandbox, Layout.SnapshotPaths snapshot) throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        Files.deleteIfExists(paths.disk());
        Files.deleteIfExists(paths.memory());
        QemuImg.createOverlay(snapshot.disk(), paths.disk(), sandbox.spec().resources().diskSizeMb());
        starter.restore(sandbox, MemoryBacking.privateCopyOf(snapshot.memory()), snapshot.deviceState(), true);
    }

    /** Replaces a running sandbox's egress policy; it takes effect at once, no restart. */
    public void setNetworkPolicy(String id, NetworkPolicy policy) throws IOException {
        Sandbox sandbox = require(id);
        synchronized (sandbox) {
            if (sandbox.state() != SandboxState.RUNNING) {
                throw new SandboxNotRunningException("sandbox " + id + " is " + sandbox.state().name().toLowerCase(Locale.ROOT));
            }
            sandbox.applyPolicy(policy);
        }
    }

    /**
     * Saves the sandbox's memory, disk and devices in its directory and stops QEMU; the sandbox
     * stays known as {@link SandboxState#PAUSED}, also to a host agent started later. If the save
     * fails, the VM runs on as before.
     */
    public PauseResult pause(String id) throws IOException {
        Sandbox sandbox = require(id);
        synchronized (sandbox) {
            requireRunning(sandbox);
            long started = System.nanoTime();
            starter.warm(sandbox);
            Layout.SandboxPaths paths = sandbox.paths();
            boolean ramInState = !sandbox.memory().shared();
            QmpClient qmp = sandbox.qmp();
            qmp.execute("stop", Map.of(), QMP_DEADLINE);
            try {
                Migration.save(qmp, paths.qmpFdSocket(), paths.savedState(), !ramInState, MachineStarter.STATE_DEADLINE);
                PauseManifest.of(sandbox, ramInState).write(paths.pauseManifest());
            } catch (IOException e) {
                Files.deleteIfExists(paths.savedState());
                qmp.execute("cont", Map.of(), QMP_DEADLINE);
                throw e;
            }
            quit(sandbox);
            sandbox.pausedNow();
            sandbox.closeNetwork();
            long bytes = Files.size(paths.savedState());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.log(Level.INFO, "sandbox {0} paused in {1} ms ({2} bytes of state)", id, took.toMillis(), bytes);
            return new PauseResult(took, bytes);
        }
    }

    /** Starts a paused sandbox from its saved state, on a network namespace with {@code policy}. */
    public Sandbox resume(String id, NetworkPolicy policy) throws IOException {
        Sandbox sandbox = require(id);
        synchronized (sandbox) {
            if (sandbox.state() != SandboxState.PAUSED) {
                throw new SandboxNotRunningException("sandbox " + id + " is not paused but "
                        + sandbox.state().name().toLowerCase(Locale.ROOT));
            }
            Layout.SandboxPaths paths = sandbox.paths();
            PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
            MemoryBacking memory = manifest.ramInState() ? MemoryBacking.anonymous() : MemoryBacking.owned(paths.memory());
            sandbox.attach(SandboxNetwork.create(network, id, policy));
            try {
                // Once the guest runs, its RAM file and disk move past the saved state: the sandbox
                // stops being paused then, not after, so a crash from there on never resumes it twice.
                starter.restore(sandbox, memory, paths.savedState(), !manifest.ramInState(),
                        () -> Files.delete(paths.pauseManifest()));
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

    /**
     * Saves a running sandbox's machine state as snapshot {@code snapshotId}; the sandbox keeps
     * running. Its vCPUs stop while the disk is frozen (the sandbox continues on a new overlay over
     * the frozen layer, which the snapshot keeps) and the devices and RAM are saved.
     */
    public SnapshotResult snapshot(String id, String snapshotId) throws IOException {
        return snapshotTo(require(id), snapshots.paths(snapshotId));
    }

    SnapshotResult snapshotTo(Sandbox sandbox, Layout.SnapshotPaths target) throws IOException {
        String id = sandbox.id();
        String snapshotId = target.dir().getFileName().toString();
        synchronized (sandbox) {
            requireRunning(sandbox);
            long started = System.nanoTime();
            starter.warm(sandbox);
            SnapshotStore.prepare(target);
            boolean ramInFile = sandbox.memory().shared();
            QmpClient qmp = sandbox.qmp();
            long stopped = System.nanoTime();
            qmp.execute("stop", Map.of(), QMP_DEADLINE);
            Duration window;
            try {
                freezeDisk(sandbox, target.disk());
                Layout.SandboxPaths paths = sandbox.paths();
                if (ramInFile) {
                    Migration.save(qmp, paths.qmpFdSocket(), target.deviceState(), true, MachineStarter.STATE_DEADLINE);
                    CommandRunner.run(List.of("cp", "--sparse=always", paths.memory().toString(), target.memory().toString()),
                            MachineStarter.STATE_DEADLINE);
                } else {
                    Migration.save(qmp, paths.qmpFdSocket(), target.fullState(), false, MachineStarter.STATE_DEADLINE);
                }
            } catch (IOException | RuntimeException e) {
                if (!Files.exists(target.disk())) {
                    snapshots.delete(target);
                }
                // otherwise the running disk sits on the frozen layer now: the directory must stay
                throw e;
            } finally {
                qmp.execute("cont", Map.of(), QMP_DEADLINE);
                window = Duration.ofNanos(System.nanoTime() - stopped);
            }
            if (!ramInFile) {
                String helperId = "sb-" + UUID.randomUUID();
                Layout.SandboxPaths scratch = layout.scratch(helperId);
                SandboxNetwork helperNetwork = SandboxNetwork.create(network, helperId, NetworkPolicy.OFFLINE);
                try {
                    starter.splitState(scratch, sandbox, helperNetwork, target.fullState(), target.memory(),
                            target.disk(), target.deviceState());
                } finally {
                    helperNetwork.close();
                    LeftoverSweeper.deleteTree(scratch.dir());
                }
                Files.delete(target.fullState());
            }
            snapshots.seal(target, sandbox.spec().resources());
            long bytes = sizeOf(target.dir());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.log(Level.INFO, "sandbox {0} snapshot {1} in {2} ms (paused {3} ms, {4} bytes)", id, snapshotId,
                    took.toMillis(), window.toMillis(), bytes);
            return new SnapshotResult(window, took, bytes, sandbox.spec().resources());
        }
    }

    /**
     * Freezes the disk of a stopped VM into {@code layer}: the current overlay moves there (QEMU
     * keeps it open), a new overlay on top of it takes its place and QEMU switches to it.
     */
    private void freezeDisk(Sandbox sandbox, Path layer) throws IOException {
        Layout.SandboxPaths paths = sandbox.paths();
        QmpClient qmp = sandbox.qmp();
        Files.move(paths.disk(), layer);
        String node = sandbox.nextOverlayNode();
        boolean added = false;
        try {
            QemuImg.createOverlay(layer, paths.disk(), sandbox.spec().resources().diskSizeMb());
            int fdSet;
            try (FdPassingMonitor monitor = FdPassingMonitor.connect(paths.qmpFdSocket())) {
                fdSet = monitor.addFdSet(paths.disk());
            }
            Map<String, Object> overlay = new LinkedHashMap<>();
            overlay.put("driver", "qcow2");
            overlay.put("node-name", node);
            overlay.put("file", Map.of("driver", "file", "filename", "/dev/fdset/" + fdSet, "locking", "off"));
            overlay.put("backing", null); // the running disk becomes its backing, below
            qmp.execute("blockdev-add", overlay, QMP_DEADLINE);
            added = true;
            qmp.execute("blockdev-snapshot", Map.of("node", "root", "overlay", node), QMP_DEADLINE);
        } catch (IOException | RuntimeException e) {
            if (added) {
                qmp.execute("blockdev-del", Map.of("node-name", node), QMP_DEADLINE);
            }
            Files.deleteIfExists(paths.disk());
            Files.move(layer, paths.disk());
            throw e;
        }
    }

    /** Puts a running or paused sandbox back to a snapshot's state; its id and network stay. */
    public Sandbox restore(String id, String snapshotId) throws IOException {
        Sandbox sandbox = require(id);
        synchronized (sandbox) {
            Layout.SnapshotPaths snapshot = snapshots.paths(snapshotId);
            snapshots.open(snapshot);
            SandboxState before = sandbox.state();
            if (before != SandboxState.RUNNING && before != SandboxState.PAUSED) {
                throw new SandboxNotRunningException("sandbox " + id + " is " + before.name().toLowerCase(Locale.ROOT));
            }
            if (before == SandboxState.RUNNING) {
                quit(sandbox);
                sandbox.pausedNow();
            } else {
                sandbox.attach(SandboxNetwork.create(network, id, sandbox.policy()));
            }
            Layout.SandboxPaths paths = sandbox.paths();
            Files.deleteIfExists(paths.pauseManifest());
            Files.deleteIfExists(paths.savedState());
            try {
                startFromSnapshot(sandbox, snapshot);
            } catch (IOException | RuntimeException e) {
                sandbox.crashed("rollback to " + snapshotId + " failed: " + e.getMessage());
                throw e;
            }
            LOG.log(Level.INFO, "sandbox {0} rolled back to {1} in {2} ms", id, snapshotId, sandbox.bootTime().toMillis());
            return sandbox;
        }
    }

    /**
     * Makes template image {@code imageId} from snapshot {@code snapshotId}'s disk: its whole layer
     * chain flattened into one sparse qcow2 that sandboxes boot ({@link SandboxSpec#imageId()}).
     * Returns the bytes the image occupies.
     */
    public long flattenSnapshot(String snapshotId, String imageId) throws IOException {
        Layout.SnapshotPaths snapshot = snapshots.paths(snapshotId);
        SnapshotManifest manifest = snapshots.open(snapshot);
        long bytes = templateImages.flatten(snapshot, imageId, manifest.diskSizeMb());
        LOG.log(Level.INFO, "template image {0} made from {1} ({2} bytes)", imageId, snapshotId, bytes);
        return bytes;
    }

    /**
     * Makes template image {@code imageId} of the OCI image archive {@code uri} on this host
     * ({@code oci-archive:/path} or {@code docker-archive:/path}), the agent injected, on a root
     * disk of {@code diskSizeMb}. Returns the bytes the image occupies.
     */
    public long importImage(String uri, String imageId, long diskSizeMb) throws IOException {
        if (diskSizeMb < image.rootDiskMb()) {
            throw new IllegalArgumentException("diskSizeMb must be at least " + image.rootDiskMb() + ", got " + diskSizeMb);
        }
        long bytes = templateImages.importArchive(uri, image.ociInject(), imageId, diskSizeMb);
        LOG.log(Level.INFO, "template image {0} imported from {1} ({2} bytes)", imageId, uri, bytes);
        return bytes;
    }

    /** Deletes a template image's files; an unknown id is not an error. */
    public void deleteImage(String imageId) throws IOException {
        templateImages.delete(imageId);
    }

    /** Deletes a snapshot's files (and the machines waiting for it); an unknown id is not an error. */
    public void deleteSnapshot(String snapshotId) throws IOException {
        prestarted.discard(snapshots.paths(snapshotId));
        snapshots.delete(snapshotId);
    }

    public Optional<Sandbox> find(String id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    /** The users' sandboxes (not the templates of base snapshots), oldest first. */
    public List<Sandbox> list() {
        return sandboxes.values().stream()
                .filter(sandbox -> !bases.isTemplate(sandbox.id()))
                .sorted(Comparator.comparing(Sandbox::createdAt))
                .toList();
    }

    /**
     * The sandbox's resource use over time, sampled while it runs and kept while it is paused
     * (empty before its first samples, or when sampled by an earlier run of the host agent).
     */
    public Optional<SandboxSeries> metrics(String id) throws SandboxNotFoundException {
        require(id);
        return sampler.series(id);
    }

    private List<SampleTarget> sampleTargets() {
        return list().stream()
                .filter(sandbox -> sandbox.state() == SandboxState.RUNNING && sandbox.pid() > 0)
                .map(sandbox -> new SampleTarget(sandbox.id(), sandbox.pid(), sandbox.paths().disk()))
                .toList();
    }

    /** Stops the VM (QMP quit, then signals), reaps QEMU and deletes every file of the sandbox. */
    public void destroy(String id) throws IOException {
        Sandbox sandbox = require(id);
        if (!sandbox.beginStop()) {
            return;
        }
        long started = System.nanoTime();
        synchronized (sandbox) {
            quit(sandbox);
            sandbox.stopped();
            sandbox.closeNetwork();
            LeftoverSweeper.deleteTree(sandbox.paths().dir());
            sandboxes.remove(id);
            sampler.forget(id);
        }
        LOG.log(Level.INFO, "sandbox {0} destroyed in {1} ms", id, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Destroys every running sandbox of this runtime; paused ones stay on disk for the next start. */
    @Override
    public void close() {
        sampler.close();
        bases.close();
        prestarted.close();
        for (Sandbox sandbox : list()) {
            if (sandbox.state() == SandboxState.PAUSED) {
                continue;
            }
            try {
                destroy(sandbox.id());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not destroy sandbox {0}: {1}", sandbox.id(), e.getMessage());
            }
        }
    }

    private Sandbox require(String id) throws SandboxNotFoundException {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new SandboxNotFoundException("no sandbox " + id + " on this host");
        }
        return sandbox;
    }

    private static void requireRunning(Sandbox sandbox) throws SandboxNotRunningException {
        if (sandbox.state() != SandboxState.RUNNING) {
            throw new SandboxNotRunningException("sandbox " + sandbox.id() + " is "
                    + sandbox.state().name().toLowerCase(Locale.ROOT));
        }
    }

    /** Tells QEMU to quit (then signals) and reaps it; its exit is expected, not a crash. */
    private static void quit(Sandbox sandbox) throws IOException {
        sandbox.expectExit();
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
                throw new InterruptedIOException("interrupted stopping sandbox " + sandbox.id());
            }
        }
    }

    /** Sandboxes a previous run of the host agent paused: they wait on disk for a resume. */
    private void adoptPaused() throws IOException {
        try (Stream<Path> dirs = Files.list(layout.sandboxes())) {
            for (Path dir : dirs.toList()) {
                String id = dir.getFileName().toString();
                Layout.SandboxPaths paths = Layout.isValidSandboxId(id) ? layout.sandbox(id) : null;
                if (paths == null || !Files.exists(paths.pauseManifest()) || sandboxes.containsKey(id)) {
                    continue;
                }
                PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
                Files.writeString(paths.ownerFile(), Long.toString(ProcessHandle.current().pid()));
                sandboxes.put(id, Sandbox.paused(new SandboxSpec(id, manifest.resources()), paths));
                LOG.log(Level.INFO, "sandbox {0} is paused on disk; resumable", id);
            }
        }
    }

    /** Bytes the files under {@code dir} occupy on disk (sparse files count what is allocated). */
    private static long sizeOf(Path dir) throws IOException {
        String usage = CommandRunner.run(List.of("du", "-s", "-B1", dir.toString()), Duration.ofSeconds(30));
        return Long.parseLong(usage.substring(0, usage.indexOf('\t')).strip());
    }
}
