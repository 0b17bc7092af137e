package dev.amber.host.confine;

import dev.amber.host.Layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Shuts each QEMU in on its own: a uid from a machine-wide pool, a cgroup sized from its machine,
 * a mount namespace that hides the other machines' directories. Only a root host agent can do
 * this; the directories holding machines' files are made private to root (0700), so a QEMU that
 * dropped to its uid reaches nothing of another by path (it gets its own files as descriptors).
 */
public final class Confiner {

    private static final System.Logger LOG = System.getLogger("amber.confine");
    private static final Path LEASES = Path.of("/run/amber-qemu");

    private final UidLeases leases;
    private final Optional<CgroupTree> cgroups;

    Confiner(UidLeases leases, Optional<CgroupTree> cgroups) {
        this.leases = requireNonNull(leases, "leases");
        this.cgroups = requireNonNull(cgroups, "cgroups");
    }

    /**
     * This host's confiner, when the host agent runs as root (empty otherwise: QEMU then stays
     * the agent's user, as a developer's unprivileged run needs). Takes back what dead runtimes
     * left (their slots and cgroups) and makes the machine directories of {@code layout} private.
     */
    public static Optional<Confiner> forThisHost(Layout layout) throws IOException {
        requireNonNull(layout, "layout");
        if (!isRoot()) {
            return Optional.empty();
        }
        for (Path dir : List.of(layout.sandboxes(), layout.prestarted(), layout.scratch(), layout.snapshots(),
                layout.baseSnapshots(), layout.templateImages())) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Optional<CgroupTree> cgroups = CgroupTree.detect();
        if (cgroups.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "no cgroup hierarchy with the memory, pids and cpu controllers: "
                    + "QEMUs run without resource limits");
        }
        Confiner confiner = new Confiner(new UidLeases(LEASES), cgroups);
        confiner.sweep();
        return Optional.of(confiner);
    }

    /**
     * Leases a uid and makes the cgroup for the QEMU of the machine in {@code machineDir} (named
     * {@code machineId}) with {@code vcpus} and {@code memoryMb}.
     */
    public Confinement confine(String machineId, Path machineDir, int vcpus, int memoryMb) throws IOException {
        CgroupLimits limits = CgroupLimits.forMachine(vcpus, memoryMb);
        int slot = leases.acquire(machineId);
        try {
            Optional<MachineCgroup> cgroup = cgroups.isPresent()
                    ? Optional.of(cgroups.get().create(UidLeases.name(slot), limits))
                    : Optional.empty();
            QemuJail jail = new QemuJail(UidLeases.uid(slot),
                    cgroup.map(MachineCgroup::procsFiles).orElse(List.of()), machineDir);
            return new Confinement(leases, slot, cgroup, limits, jail);
        } catch (IOException | RuntimeException e) {
            leases.release(slot);
            throw e;
        }
    }

    /** Removes the cgroups of slots whose runtime died (and what still runs in them), and frees the slots. */
    private void sweep() throws IOException {
        for (int slot : leases.stale()) {
            if (cgroups.isPresent()) {
                cgroups.get().existing(UidLeases.name(slot)).remove();
            }
            leases.release(slot);
        }
        if (cgroups.isPresent()) {
            for (String name : cgroups.get().names()) {
                if (!leases.isLeased(name)) {
                    cgroups.get().existing(name).remove();
                }
            }
        }
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }
}
