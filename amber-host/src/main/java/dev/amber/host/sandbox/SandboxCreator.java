package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.GuestImage;
import dev.amber.host.image.TemplateImages;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.snapshot.BaseSnapshots;
import dev.amber.host.snapshot.PrestartedMachines;
import dev.amber.host.snapshot.SnapshotEngine;
import dev.amber.host.snapshot.SnapshotManifest;
import dev.amber.host.snapshot.SnapshotStore;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Creates sandboxes from what their spec names: a snapshot (through a pre-started machine when
 * one waits, else a restore), a template image (a boot), or the guest image (a restore of the
 * base snapshot of its size when there is one, else a boot, which offers that base snapshot).
 */
final class SandboxCreator {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    /** The shared parts of the host that creation draws from. */
    record Parts(Layout layout, GuestImage image, HostNetwork network, SnapshotStore snapshots,
                 TemplateImages templateImages, BaseSnapshots bases, PrestartedMachines prestarted, MachineBooter booter,
                 SnapshotEngine engine) {}

    private final Parts parts;
    private final SandboxRegistry registry;

    SandboxCreator(Parts parts, SandboxRegistry registry) {
        this.parts = requireNonNull(parts, "parts");
        this.registry = requireNonNull(registry, "registry");
    }

    /** The sandbox, running once its agent answers; on failure nothing of it remains. */
    Sandbox create(SandboxSpec spec) throws IOException {
        SandboxSpec effective = spec;
        Optional<PrestartedMachines.Source> source = Optional.empty();
        Path rootDisk = parts.image().rootDisk();
        if (spec.snapshotId() != null) {
            Layout.SnapshotPaths snapshot = parts.snapshots().paths(spec.snapshotId());
            SnapshotManifest manifest = parts.snapshots().open(snapshot);
            source = Optional.of(new PrestartedMachines.Source(snapshot, manifest));
            effective = new SandboxSpec(spec.id(), manifest.resources(), spec.network(), spec.snapshotId());
        } else if (spec.imageId() != null) {
            TemplateImages.Image bootImage = parts.templateImages().open(spec.imageId());
            rootDisk = bootImage.disk();
            requireDiskOf(spec, bootImage.diskSizeMb(), "template image " + spec.imageId());
        } else {
            requireDiskOf(spec, parts.image().rootDiskMb(), "the guest image");
            source = parts.bases().find(spec.resources());
        }
        Layout.SandboxPaths paths = parts.layout().sandbox(spec.id());
        Sandbox sandbox = new Sandbox(effective, paths);
        registry.add(sandbox);
        try {
            Optional<PrestartedMachines.Machine> machine = source.flatMap(
                    from -> parts.prestarted().take(from, spec.network()));
            if (machine.isPresent()) {
                startPrestarted(sandbox, machine.get());
            } else {
                paths.create();
                Files.writeString(paths.ownerFile(), Long.toString(ProcessHandle.current().pid()));
                sandbox.attach(SandboxNetwork.create(parts.network(), spec.id(), spec.network()));
                if (source.isPresent()) {
                    sandbox.restored(parts.engine().restore(sandbox.slot(), source.get().snapshot()));
                } else {
                    parts.booter().boot(sandbox, rootDisk);
                    if (spec.imageId() == null) {
                        parts.bases().offer(spec.resources());
                    }
                }
            }
            LOG.log(Level.INFO, "sandbox {0} running after {1} ms (pid {2}{3})", spec.id(), sandbox.bootTime().toMillis(),
                    sandbox.pid(), machine.isPresent() ? ", pre-started" : "");
            return sandbox;
        } catch (IOException | RuntimeException e) {
            registry.remove(spec.id());
            sandbox.closeNetwork();
            FileTrees.deleteTree(paths.dir());
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
        sandbox.restored(parts.engine().restore(sandbox.slot(), machine));
    }
}
