package dev.amber.host.vm;

import static java.util.Objects.requireNonNull;

/**
 * What a saved machine (a snapshot, a paused sandbox) was made on, recorded in its manifest: the
 * QEMU release, the versioned machine type, the CPU model and the accelerator its devices and CPU
 * state were saved from, and, for the record, the guest kernel (from the guest image) and the
 * guest agent's version (as the agent said it). Which of these a host must match to restore it is
 * {@link HostPlatform#mismatches}'s to say.
 *
 * @param accelerator "kvm" or "tcg"
 * @param kernel      the guest image's kernel package and version, e.g. "linux-image-6.1.0-57-cloud-amd64 6.1.192-3"
 */
public record MachinePlatform(String qemuVersion, String machineType, String cpuModel, String accelerator, String kernel,
                              String agentVersion) {

    public MachinePlatform {
        requireNonNull(qemuVersion, "qemuVersion");
        requireNonNull(machineType, "machineType");
        requireNonNull(cpuModel, "cpuModel");
        requireNonNull(accelerator, "accelerator");
        requireNonNull(kernel, "kernel");
        requireNonNull(agentVersion, "agentVersion");
    }
}
