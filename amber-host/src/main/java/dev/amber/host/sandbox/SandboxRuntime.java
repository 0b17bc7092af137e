package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.durable.DurableStates;
import dev.amber.host.durable.NoObjectStoreException;
import dev.amber.host.durable.StateChangedException;
import dev.amber.host.confine.Confiner;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.DiskChainRule;
import dev.amber.host.image.GuestImage;
import dev.amber.host.image.TemplateImages;
import dev.amber.host.machine.MachineLoad;
import dev.amber.host.metrics.MetricsSampler;
import dev.amber.host.metrics.SampleTarget;
import dev.amber.host.metrics.SandboxSeries;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.snapshot.BaseSnapshots;
import dev.amber.host.snapshot.MachineRestorer;
import dev.amber.host.snapshot.PauseResult;
import dev.amber.host.snapshot.PrestartedMachines;
import dev.amber.host.snapshot.SnapshotEngine;
import dev.amber.host.snapshot.SnapshotManifest;
import dev.amber.host.snapshot.SnapshotResult;
import dev.amber.host.snapshot.SnapshotStore;
import dev.amber.host.vm.Accelerator;
import dev.amber.host.vm.AcceleratorProbe;
import dev.amber.host.vm.HostPlatform;
import dev.amber.host.vm.MachineLauncher;
import dev.amber.host.vm.MachineModel;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.QemuRelease;

import dev.amber.store.DurableStore;
import dev.amber.store.UploadReport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The lifecycle of this host's VMs: boots them from the guest image onto copy-on-write overlays,
 * or has the snapshot engine restore them; pauses, resumes, snapshots and rolls them back through
 * that engine ({@link SnapshotEngine}); hands out their agents, notices when one dies, and tears
 * them down leaving nothing behind. Operations on one sandbox are serialised; a failed operation
 * leaves the sandbox as it was.
 */
public final class SandboxRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    private final Layout layout;
    private final MachineLoad machineLoad;
    private final GuestImage image;
    private final AcceleratorProbe.Choice accelerator;
    private final HostPlatform platform;
    private final SnapshotStore snapshots;
    private final BaseSnapshots bases;
    private final PrestartedMachines prestarted;
    private final TemplateImages templateImages;
    private final SandboxRegistry sandboxes = new SandboxRegistry();
    private final SandboxCreator creator;
    private final SandboxSaves saves;
    private final MetricsSampler sampler;
    private volatile Optional<DurableStates> durable = Optional.empty();

    private SandboxRuntime(Layout layout, GuestImage image, AcceleratorProbe.Choice accelerator, HostPlatform platform,
                           RuntimeOptions options, HostNetwork network, Optional<Confiner> confiner) {
        this.layout = layout;
        this.image = image;
        this.accelerator = accelerator;
        this.platform = platform;
        MachineLauncher launcher = new MachineLauncher(platform.machine(), image, new DiskChainRule(List.of(
                layout.snapshots(), layout.baseSnapshots(), layout.baseImage().getParent(), layout.templateImages(),
                layout.layers())),
                confiner);
        MachineBooter booter = new MachineBooter(launcher, options);
        MachineRestorer restorer = new MachineRestorer(launcher, options.agentIdleTimeout());
        this.snapshots = new SnapshotStore(layout, image.key(), platform);
        SnapshotEngine engine = new SnapshotEngine(layout, network, snapshots, restorer, launcher, platform);
        this.machineLoad = new MachineLoad(layout.sandboxes());
        this.saves = new SandboxSaves(network, snapshots, engine, restorer);
        this.bases = new BaseSnapshots(new BaseTemplates(this, saves), layout, snapshots, image.key(), options.baseSnapshots());
        this.prestarted = new PrestartedMachines(layout, network, restorer, options.prestartedMachines());
        this.templateImages = new TemplateImages(layout, image.key());
        this.creator = new SandboxCreator(new SandboxCreator.Parts(layout, image, network, snapshots, templateImages, bases,
                prestarted, booter, engine), sandboxes);
        this.sampler = MetricsSampler.start(this::sampleTargets);
    }

    /**
     * Loads the guest image, asks QEMU which versioned type its q35 is, chooses the accelerator by
     * a probe boot, and takes over paused sandboxes.
     */
    public static SandboxRuntime start(Layout layout, RuntimeOptions options) throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(options, "options");
        GuestImage image = GuestImage.load(layout.baseImage());
        QemuRelease qemu = QemuRelease.probe();
        AcceleratorProbe.Choice choice = new AcceleratorProbe(layout.cache()).choose(image, qemu);
        LOG.log(Level.INFO, "accelerator {0}: {1}", choice.accelerator().lowerName(), choice.reason());
        HostPlatform platform = new HostPlatform(qemu, MachineModel.q35(qemu, choice.accelerator()), image.kernelVersion());
        LOG.log(Level.INFO, "QEMU {0}, machine type {1}, CPU model {2}", qemu.version(),
                platform.machine().machineType(), platform.machine().cpuModel());
        Files.createDirectories(layout.sandboxes());
        LeftoverSweeper.sweep(layout);
        SandboxRuntime runtime = new SandboxRuntime(layout, image, choice, platform, options, HostNetwork.start(),
                Confiner.forThisHost(layout));
        runtime.sandboxes.adoptPaused(layout);
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

    /** What this host runs machines on: what its snapshots record, and what they must match to be restored. */
    public HostPlatform platform() {
        return platform;
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

    /** The machine sizes this host has a base snapshot of. */
    public Set<MachineResources> baseSnapshotSizes() throws IOException {
        return bases.held();
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
        return creator.create(spec);
    }

    /** Replaces a running sandbox's egress policy; it takes effect at once, no restart. */
    public void setNetworkPolicy(String id, NetworkPolicy policy) throws IOException {
        Sandbox sandbox = sandboxes.require(id);
        synchronized (sandbox) {
            SandboxRegistry.requireRunning(sandbox);
            sandbox.applyPolicy(policy);
        }
    }

    /**
     * Saves the sandbox's memory, disk and devices in its directory and stops QEMU; the sandbox
     * stays known as {@link SandboxState#PAUSED}, also to a host agent started later. If the save
     * fails, the VM runs on as before.
     */
    public PauseResult pause(String id) throws IOException {
        return saves.pause(sandboxes.require(id));
    }

    /** Starts a paused sandbox from its saved state, on a network namespace with {@code policy}. */
    public Sandbox resume(String id, NetworkPolicy policy) throws IOException {
        return saves.resume(sandboxes.require(id), policy);
    }

    /**
     * Starts a paused sandbox as {@link #resume} does; when this host does not have it, its paused
     * state {@code storedState} is fetched from the object store first (it was paused on another host).
     */
    public Sandbox resume(String id, NetworkPolicy policy, String storedState) throws IOException {
        if (sandboxes.find(id).isEmpty()) {
            requireDurable().fetchPaused(storedState, layout.sandbox(id));
            sandboxes.adoptPaused(layout);
        }
        return resume(id, policy);
    }

    /**
     * Keeps snapshots and paused sandboxes in {@code store} when asked ({@link #storeSnapshot},
     * {@link #storePaused}), and fetches from it the snapshots and paused sandboxes this host lacks,
     * keeping about {@code cacheBytes} of what it fetched.
     */
    public void keepStateIn(DurableStore store, String hostName, long cacheBytes) {
        DurableStates states = new DurableStates(layout, store, snapshots, image, hostName, cacheBytes);
        snapshots.fetchMissingFrom(states);
        durable = Optional.of(states);
    }

    /** Copies snapshot {@code snapshotId} to the object store. */
    public UploadReport storeSnapshot(String snapshotId) throws IOException {
        return requireDurable().storeSnapshot(snapshotId);
    }

    /** Copies paused sandbox {@code id}'s saved machine to the object store; it stays paused here. */
    public DurableStates.StoredPause storePaused(String id) throws IOException {
        Sandbox sandbox = sandboxes.require(id);
        if (sandbox.state() != SandboxState.PAUSED) {
            throw new StateChangedException("sandbox " + id + " is not paused but "
                    + sandbox.state().name().toLowerCase(Locale.ROOT));
        }
        return requireDurable().storePaused(sandbox.paths());
    }

    private DurableStates requireDurable() throws NoObjectStoreException {
        return durable.orElseThrow(NoObjectStoreException::new);
    }

    /**
     * Saves a running sandbox's machine state as snapshot {@code snapshotId}; the sandbox keeps
     * running. Its vCPUs stop while the disk is frozen (the sandbox continues on a new overlay over
     * the frozen layer, which the snapshot keeps) and the devices and RAM are saved.
     */
    public SnapshotResult snapshot(String id, String snapshotId) throws IOException {
        return saves.snapshot(sandboxes.require(id), snapshots.paths(snapshotId));
    }

    /** Puts a running or paused sandbox back to a snapshot's state; its id and network stay. */
    public Sandbox restore(String id, String snapshotId) throws IOException {
        return saves.rollback(sandboxes.require(id), snapshotId);
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
        return sandboxes.find(id);
    }

    /** The users' sandboxes (not the templates of base snapshots), oldest first. */
    public List<Sandbox> list() {
        return sandboxes.all().stream()
                .filter(sandbox -> !bases.isTemplate(sandbox.id()))
                .sorted(Comparator.comparing(Sandbox::createdAt))
                .toList();
    }

    /**
     * The sandbox's resource use over time, sampled while it runs and kept while it is paused
     * (empty before its first samples, or when sampled by an earlier run of the host agent).
     */
    public Optional<SandboxSeries> metrics(String id) throws SandboxNotFoundException {
        sandboxes.require(id);
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
        Sandbox sandbox = sandboxes.require(id);
        if (!sandbox.beginStop()) {
            return;
        }
        long started = System.nanoTime();
        synchronized (sandbox) {
            sandbox.quit();
            sandbox.stopped();
            sandbox.closeNetwork();
            FileTrees.deleteTree(sandbox.paths().dir());
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
}
