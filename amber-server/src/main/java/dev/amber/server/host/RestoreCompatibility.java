package dev.amber.server.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a host can restore a saved machine, decided on the server from what the host reported, so
 * that placement never sends a restore to a host that would refuse it. It mirrors the host's own
 * check (amber-host {@code vm.HostPlatform#mismatches}), which stays the authority: the machine type
 * must be one the host's QEMU offers (not necessarily the one it runs new machines as: QEMU keeps
 * every versioned type's layout across releases), and the CPU model and the accelerator must be
 * the same (saved CPU state carries the features of the one it ran under).
 */
public final class RestoreCompatibility {

    private RestoreCompatibility() {}

    /** What in {@code saved} {@code host} cannot provide, each named with what it has instead; empty: it can restore it. */
    public static List<String> mismatches(SavedPlatform saved, HostPlatformFacts host) {
        List<String> mismatches = new ArrayList<>();
        if (!host.offers(saved.machineType())) {
            mismatches.add("machine type " + saved.machineType() + ", which its QEMU " + host.platform().qemuVersion()
                    + " does not offer");
        }
        if (!saved.cpuModel().equals(host.platform().cpuModel())) {
            mismatches.add("CPU model " + saved.cpuModel() + " (it has " + host.platform().cpuModel() + ")");
        }
        if (!saved.accelerator().equals(host.platform().accelerator())) {
            mismatches.add("accelerator " + saved.accelerator() + " (it uses " + host.platform().accelerator() + ")");
        }
        return mismatches;
    }
}
