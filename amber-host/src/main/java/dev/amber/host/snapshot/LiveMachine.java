package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.QmpClient;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The live resources the engine saves a running machine from: its files, its size, its monitor,
 * where its RAM lives, its network, and what its agent reported.
 */
public record LiveMachine(String id, Layout.SandboxPaths paths, MachineResources resources, QmpClient qmp,
                          MemoryBacking memory, SandboxNetwork network, Map<String, String> guestInfo) {

    public LiveMachine {
        requireNonNull(id, "id");
        requireNonNull(paths, "paths");
        requireNonNull(resources, "resources");
        requireNonNull(qmp, "qmp");
        requireNonNull(memory, "memory");
        requireNonNull(network, "network");
        requireNonNull(guestInfo, "guestInfo");
    }

    /**
     * Whether the guest's RAM is in a file the VM owns: then a save streams the devices alone
     * (the RAM stays in that file); otherwise the RAM travels in the stream.
     */
    boolean ramInOwnFile() {
        return switch (memory) {
            case MemoryBacking.OwnedFile _ -> true;
            case MemoryBacking.PrivateCopy _, MemoryBacking.Anonymous _ -> false;
        };
    }
}
