package dev.amber.server.host;

import static java.util.Objects.requireNonNull;

/**
 * What a saved machine (a snapshot, a paused sandbox) needs of the host that restores it: the
 * versioned machine type it ran as, its CPU model and its accelerator. The QEMU version, kernel and
 * agent are not part of it: the host does not compare them either (see {@link RestoreCompatibility}).
 */
public record SavedPlatform(String machineType, String cpuModel, String accelerator) {

    public SavedPlatform {
        requireNonNull(machineType, "machineType");
        requireNonNull(cpuModel, "cpuModel");
        requireNonNull(accelerator, "accelerator");
    }

    @Override
    public String toString() {
        return "machine type " + machineType + ", CPU model " + cpuModel + ", accelerator " + accelerator;
    }
}
