package dev.amber.host.vm;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The platform this host runs machines on, gathered once at start: its QEMU release, the machine
 * model every QEMU gets, and the guest image's kernel ({@code kernel}, for the record). It says
 * what a saved machine is recorded as ({@link #recording}) and whether one recorded elsewhere, or
 * before an upgrade, can be restored here ({@link #mismatches}).
 */
public record HostPlatform(QemuRelease qemu, MachineModel machine, String kernel) {

    public HostPlatform {
        requireNonNull(qemu, "qemu");
        requireNonNull(machine, "machine");
        requireNonNull(kernel, "kernel");
    }

    /** A machine saved here now, whose guest agent reported {@code agentVersion}. */
    public MachinePlatform recording(String agentVersion) {
        return new MachinePlatform(qemu.version(), machine.machineType(), machine.cpuModel(),
                machine.accelerator().lowerName(), kernel, agentVersion);
    }

    /**
     * What in {@code saved} this host cannot provide, each named with what the host has instead;
     * empty: it can be restored here. The rules:
     * <ul>
     * <li>the machine type must be one this host's QEMU offers, not necessarily its newest: QEMU
     *     keeps every versioned type's device layout and migration format across releases, so a
     *     different QEMU version alone is no obstacle (a newer QEMU loads a 7.2 machine as
     *     {@code pc-q35-7.2}), and the version is recorded, not compared;</li>
     * <li>the CPU model and the accelerator must be the same: CPU state saved under one carries
     *     features (under KVM, the host CPU's own) the other does not provide, and the guest's
     *     kernel chose its code paths by them. ({@code host} on both sides does not prove the same
     *     physical CPU: a durable snapshot restored under KVM on another
     *     machine with another CPU is not caught here.)</li>
     * <li>the kernel and the agent are not compared: the guest's kernel and agent live in the saved
     *     RAM and come back with it, so another kernel file in this host's guest image does not
     *     matter to a restore (and the guest image itself is checked by its key).</li>
     * </ul>
     */
    public List<String> mismatches(MachinePlatform saved) {
        List<String> mismatches = new ArrayList<>();
        if (!qemu.offers(saved.machineType())) {
            mismatches.add("machine type " + saved.machineType() + ", which this host's QEMU " + qemu.version()
                    + " does not offer (it runs machines as " + machine.machineType() + ")");
        }
        if (!saved.cpuModel().equals(machine.cpuModel())) {
            mismatches.add("CPU model " + saved.cpuModel() + " (this host's is " + machine.cpuModel() + ")");
        }
        if (!saved.accelerator().equals(machine.accelerator().lowerName())) {
            mismatches.add("accelerator " + saved.accelerator() + " (this host uses " + machine.accelerator().lowerName()
                    + ")");
        }
        return mismatches;
    }
}
