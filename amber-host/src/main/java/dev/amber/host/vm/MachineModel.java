package dev.amber.host.vm;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * The virtual hardware every QEMU of this host gets: a versioned machine type (never an alias, see
 * {@link QemuRelease}), the accelerator, and the CPU model that goes with it: under KVM the host's
 * own CPU, under TCG {@code max}, everything TCG can emulate.
 */
public record MachineModel(String machineType, Accelerator accelerator) {

    /** The machine Amber runs, by the alias QEMU releases point at their newest q35 type. */
    private static final String Q35 = "q35";

    public MachineModel {
        requireNonNull(machineType, "machineType");
        requireNonNull(accelerator, "accelerator");
        if (!machineType.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("not a QEMU machine type: " + machineType);
        }
    }

    /** q35 as {@code qemu} resolves it, under {@code accelerator}. */
    public static MachineModel q35(QemuRelease qemu, Accelerator accelerator) throws IOException {
        return new MachineModel(qemu.resolve(Q35), accelerator);
    }

    public String cpuModel() {
        return accelerator == Accelerator.KVM ? "host" : "max";
    }
}
