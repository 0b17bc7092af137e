package dev.amber.host.vm;

import dev.amber.host.Layout;
import dev.amber.host.confine.QemuJail;
import dev.amber.host.image.GuestImage;
import dev.amber.host.network.SandboxNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * QEMU's argument list as a value: the machine, its accelerator, its memory backing and devices;
 * {@link #argv()} turns it into the command, in one place. The machine is q35 under both
 * accelerators, by its versioned type ({@link MachineModel}): microvm hung in ~7 % of TCG boots on
 * this kind of host (a lost timer tick), and using one machine model everywhere keeps one device
 * layout for every snapshot. On KVM q35 costs some tens of milliseconds of firmware over microvm,
 * which restores from snapshots (the common path) skip.
 *
 * @param devices  a sandbox's disk, RAM, agent port, QMP, entropy and NIC; empty: kernel and
 *                 initramfs only (the raw baseline of a boot, and the accelerator probe)
 * @param incoming QEMU waits for a saved state ({@code -incoming defer}) instead of booting
 * @param jail     how a sandbox's QEMU is shut in: cgroups, the uid it drops to, its mount namespace
 */
public record QemuCommandLine(MachineModel machine, Path kernel, Path initramfs, MachineResources resources,
                              String kernelArguments, Path console, Optional<SandboxDevices> devices, boolean incoming,
                              Optional<QemuJail> jail) {

    /** A fixed, small console: the marker lines of our init, and kernel panics. */
    private static final String KERNEL_ARGS = "console=ttyS0 panic=-1 quiet loglevel=3";

    public QemuCommandLine {
        requireNonNull(machine, "machine");
        requireNonNull(kernel, "kernel");
        requireNonNull(initramfs, "initramfs");
        requireNonNull(resources, "resources");
        requireNonNull(kernelArguments, "kernelArguments");
        requireNonNull(console, "console");
        requireNonNull(devices, "devices");
        requireNonNull(jail, "jail");
    }

    /** The NIC's side of a sandbox network: QEMU runs inside {@code namespace}, where {@code tapDevice} is. */
    public record Nic(String namespace, String tapDevice, String kernelArguments) {

        public static Nic of(SandboxNetwork network) {
            return new Nic(network.namespace(), network.tapDevice(), network.kernelArguments());
        }
    }

    /** What a sandbox's QEMU has besides a kernel: the files of {@code paths}, RAM as {@code memory}, a NIC. */
    public record SandboxDevices(Layout.SandboxPaths paths, MemoryBacking memory, Nic nic) {
        public SandboxDevices {
            requireNonNull(paths, "paths");
            requireNonNull(memory, "memory");
            requireNonNull(nic, "nic");
        }
    }

    /**
     * A sandbox: root disk overlay, RAM as {@code memory} says, agent port, QMP, entropy, and a NIC
     * on the tap device of its network namespace, locked down, and shut in by {@code jail} when
     * there is one (without: QEMU stays the host agent's user, in no cgroup of its own).
     */
    public static QemuCommandLine sandbox(MachineModel machine, GuestImage image, Layout.SandboxPaths paths,
                                          MachineResources resources, String hostname, MemoryBacking memory, Nic nic,
                                          boolean incoming, Optional<QemuJail> jail) {
        return new QemuCommandLine(machine, image.kernel(), image.initramfs(), resources,
                KERNEL_ARGS + " amber.hostname=" + hostname + " " + nic.kernelArguments(), paths.console(),
                Optional.of(new SandboxDevices(paths, memory, nic)), incoming, jail);
    }

    /** Kernel and initramfs only, no disk: the raw baseline of a boot, and the accelerator probe. */
    public static QemuCommandLine bootOnly(MachineModel machine, GuestImage image, Path console) {
        return new QemuCommandLine(machine, image.kernel(), image.initramfs(), MachineResources.DEFAULT,
                KERNEL_ARGS + " amber.probe=1", console, Optional.empty(), false, Optional.empty());
    }

    /**
     * The command to start. A sandbox's overlay is opened by a shell before QEMU starts and handed
     * over as descriptors 3 and 4 (an fd set): QEMU, once it has dropped to its own user, cannot
     * reach our files by name, yet it reopens its disk when a restored VM first runs; and QEMU is
     * started inside the sandbox's network namespace, so the tap it opens is there. With a jail,
     * that shell first moves itself into the machine's cgroups, and QEMU runs in a mount namespace
     * of its own; every step execs in place, so the pid the host tracks is QEMU's.
     */
    public List<String> argv() {
        List<String> args = new ArrayList<>(hardware());
        devices.ifPresent(sandbox -> args.addAll(devices(sandbox)));
        if (incoming) {
            args.addAll(List.of("-incoming", "defer"));
        }
        jail.ifPresent(confined -> args.addAll(List.of("-runas", confined.runAs())));
        if (devices.isEmpty()) {
            return args;
        }
        SandboxDevices sandbox = devices.get();
        List<String> launched = new ArrayList<>(List.of("sh", "-c",
                jail.map(QemuJail::joinCgroups).orElse("") + "exec \"$@\" 3<>\"$0\" 4<\"$0\"",
                sandbox.paths().disk().toString()));
        launched.addAll(SandboxNetwork.inNamespace(sandbox.nic().namespace(),
                jail.map(confined -> confined.inMountNamespace(args)).orElse(args)));
        return launched;
    }

    private List<String> hardware() {
        boolean kvm = machine.accelerator() == Accelerator.KVM;
        String type = machine.machineType();
        return List.of(
                "qemu-system-x86_64",
                "-name", "amber",
                "-machine", devices.isPresent() ? type + ",memory-backend=mem0" : type,
                "-accel", kvm ? "kvm" : "tcg,thread=multi,tb-size=64",
                "-cpu", machine.cpuModel(),
                "-smp", Integer.toString(resources.vcpus()),
                "-m", resources.memoryMb() + "M",
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                // seccomp: no obsolete syscalls, no child processes, no scheduler/affinity games. set*id
                // stays allowed only because -runas needs it; once QEMU has dropped root (all three
                // uids), the kernel refuses any way back, so the filter would add nothing.
                "-sandbox", "on,obsolete=deny,elevateprivileges=" + (jail.isEmpty() ? "deny" : "allow")
                        + ",spawn=deny,resourcecontrol=deny",
                "-kernel", kernel.toString(),
                "-initrd", initramfs.toString(),
                "-append", kernelArguments,
                // append: ConsoleLog truncates the file under QEMU, whose next write must land at the start
                "-chardev", "file,id=console,path=" + console + ",append=on",
                "-serial", "chardev:console");
    }

    private List<String> devices(SandboxDevices sandbox) {
        Layout.SandboxPaths paths = sandbox.paths();
        return List.of(
                "-object", memoryBackend(sandbox.memory()),
                "-add-fd", "fd=3,set=1", "-add-fd", "fd=4,set=1",
                // image locking is off: this host alone decides who opens which layer, and QEMU's
                // locks would be taken again through descriptors it cannot reopen
                "-drive", "file=/dev/fdset/1,if=none,id=root,format=qcow2,cache=writeback,discard=unmap,file.locking=off",
                "-device", "virtio-blk-pci,drive=root",
                "-device", "virtio-serial-pci,max_ports=2",
                "-chardev", "socket,id=agent,path=" + paths.agentSocket() + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=amber.0",
                "-object", "rng-random,id=rng0,filename=/dev/urandom",
                "-device", "virtio-rng-pci,rng=rng0",
                "-netdev", "tap,id=net0,ifname=" + sandbox.nic().tapDevice() + ",script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=net0,mac=" + SandboxNetwork.GUEST_MAC,
                "-qmp", "unix:" + paths.qmpSocket() + ",server=on,wait=off",
                "-qmp", "unix:" + paths.qmpFdSocket() + ",server=on,wait=off");
    }

    private String memoryBackend(MemoryBacking memory) {
        String size = "size=" + resources.memoryMb() + "M";
        return switch (memory) {
            case MemoryBacking.Anonymous _ -> "memory-backend-ram,id=mem0," + size;
            case MemoryBacking.OwnedFile(Path file) -> "memory-backend-file,id=mem0," + size + ",mem-path=" + file + ",share=on";
            // opened read-write all the same: QEMU 7.2's readonly=on maps guest RAM read-only (the guest
            // dies at its first write) and it refuses a read-only file; rom=off to map a read-only
            // file privately and writable comes with QEMU 8.2
            case MemoryBacking.PrivateCopy(Path file) -> "memory-backend-file,id=mem0," + size + ",mem-path=" + file + ",share=off";
        };
    }
}
