package dev.amber.server.host;

import dev.amber.api.host.HostPlatform;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a host runs machines on, as its heartbeats say, with every versioned machine type its QEMU
 * offers: a saved machine of any of those types can be restored there, not only of the one it runs
 * new machines as ({@link RestoreCompatibility}). The types stay inside the server: the public
 * {@link HostPlatform} of {@code /v1/hosts} would list dozens of them for every host.
 */
public record HostPlatformFacts(HostPlatform platform, Set<String> machineTypes) {

    public HostPlatformFacts {
        requireNonNull(platform, "platform");
        machineTypes = Set.copyOf(machineTypes);
    }

    /** What a machine saved on this host now is recorded as: the type it runs machines as, its CPU model and accelerator. */
    public SavedPlatform recording() {
        return new SavedPlatform(platform.machineType(), platform.cpuModel(), platform.accelerator());
    }

    /**
     * Whether its QEMU offers {@code machineType}. A host older than the list reports none; it
     * offers at least the type it runs machines as, so that one is never judged missing.
     */
    public boolean offers(String machineType) {
        return machineTypes.contains(machineType) || platform.machineType().equals(machineType);
    }
}
