package dev.amber.host.confine;

import java.io.IOException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One QEMU's confinement while it lives: its leased uid, its cgroup, and the {@link QemuJail} its
 * command line is built with. Released once QEMU has been reaped.
 */
public final class Confinement {

    private static final System.Logger LOG = System.getLogger("amber.confine");

    private final UidLeases leases;
    private final int slot;
    private final Optional<MachineCgroup> cgroup;
    private final CgroupLimits limits;
    private final QemuJail jail;
    private boolean released;

    Confinement(UidLeases leases, int slot, Optional<MachineCgroup> cgroup, CgroupLimits limits, QemuJail jail) {
        this.leases = requireNonNull(leases, "leases");
        this.slot = slot;
        this.cgroup = requireNonNull(cgroup, "cgroup");
        this.limits = requireNonNull(limits, "limits");
        this.jail = requireNonNull(jail, "jail");
    }

    public QemuJail jail() {
        return jail;
    }

    public CgroupLimits limits() {
        return limits;
    }

    /**
     * Removes the cgroup and gives the uid back; call it once QEMU is gone. Returns why QEMU's end
     * was the kernel's doing, when it was (the out-of-memory killer in its cgroup), for the crash
     * reason; empty otherwise. A second call does nothing.
     */
    public synchronized Optional<String> release() {
        if (released) {
            return Optional.empty();
        }
        released = true;
        Optional<String> cause = cgroup.filter(group -> group.oomKills() > 0)
                .map(group -> "out of memory: killed by the kernel in its cgroup, whose limit was set to "
                        + (limits.memoryBytes() >> 20) + " MiB (guest RAM + QEMU)");
        try {
            if (cgroup.isPresent()) {
                cgroup.get().remove();
            }
            leases.release(slot);
        } catch (IOException e) {
            // the slot stays leased; the next runtime to start takes it back
            LOG.log(System.Logger.Level.WARNING, "could not release QEMU slot {0}: {1}", UidLeases.name(slot),
                    e.getMessage());
        }
        return cause;
    }
}
