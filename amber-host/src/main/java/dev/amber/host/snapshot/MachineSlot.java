package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.MachineResources;

import static java.util.Objects.requireNonNull;

/** Where a machine is restored into: its id (the guest's hostname), its directory, its size and its network. */
public record MachineSlot(String id, Layout.SandboxPaths paths, MachineResources resources, SandboxNetwork network) {

    public MachineSlot {
        requireNonNull(id, "id");
        requireNonNull(paths, "paths");
        requireNonNull(resources, "resources");
        requireNonNull(network, "network");
    }
}
