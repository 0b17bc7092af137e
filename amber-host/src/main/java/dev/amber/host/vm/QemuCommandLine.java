package dev.amber.host.vm;

import dev.amber.host.Layout;
import dev.amber.host.image.GuestImage;
import dev.amber.host.network.SandboxNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's argument list, built in one place. The machine is q35 under both accelerators: microvm
 * hung in ~7 % of TCG boots on this kind of host (a lost timer tick), and using one machine model
 * everywhere keeps one device layout for every snapshot. On KVM q35 costs some tens of
 * milliseconds of firmware over microvm, which restores from snapshots (the common path) skip.
 */
public final class QemuCommandLine {

    /** A fixed, small console: the marker lines of our init, and kernel panics. */
    private static final String KERNEL_ARGS = "console=ttyS0 panic=-1 quiet loglevel=3";

    private QemuCommandLine() {}

    /**
     * A sandbox: root disk overlay, RAM in a file, agent port, QMP, entropy, and a NIC on the tap
     * device of its network namespace (QEMU must be started inside that namespace), locked down.
     * {@code incoming}:
     * QEMU waits for a saved state ({@code -incoming defer}) instead of booting.
     *
     * <p>The overlay is opened by a shell before QEMU starts and handed over as descriptors 3 and
     * 4 (an fd set): QEMU, once it has dropped to its own user, cannot reach our files by name, yet
     * it reopens its disk when a restored VM first runs.
     */
    public static List<String> sandbox(Accelerator accelerator, GuestImage image, Layout.SandboxPaths paths,
                                       MachineResources resources, String hostname, MemoryBacking memory,
                                       SandboxNetwork network, boolean incoming, String runAsUser) {
        List<String> args = common(accelerator, image, resources, KERNEL_ARGS + " amber.hostname=" + hostname + " "
                + network.kernelArguments(), paths.console(), runAsUser);
        args.set(args.indexOf("q35"), "q35,memory-backend=mem0");
        args.addAll(List.of(
                "-object", memory.file() == null
                        ? "memory-backend-ram,id=mem0,size=" + resources.memoryMb() + "M"
                        : "memory-backend-file,id=mem0,size=" + resources.memoryMb() + "M,mem-path=" + memory.file()
                                + ",share=" + (memory.shared() ? "on" : "off"),
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
                "-netdev", "tap,id=net0,ifname=" + network.tapDevice() + ",script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=net0,mac=" + SandboxNetwork.GUEST_MAC,
                "-qmp", "unix:" + paths.qmpSocket() + ",server=on,wait=off",
                "-qmp", "unix:" + paths.qmpFdSocket() + ",server=on,wait=off"));
        if (incoming) {
            args.addAll(List.of("-incoming", "defer"));
        }
        if (runAsUser != null) {
            args.addAll(List.of("-runas", runAsUser));
        }
        List<String> launched = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" 3<>\"$0\" 4<\"$0\"",
                paths.disk().toString()));
        launched.addAll(network.wrap(args));
        return launched;
    }

    /** Kernel and initramfs only, no disk: the raw baseline of a boot, and the accelerator probe. */
    public static List<String> bootOnly(Accelerator accelerator, GuestImage image, Path console) {
        return common(accelerator, image, MachineResources.DEFAULT, KERNEL_ARGS + " amber.probe=1", console, null);
    }

    private static List<String> common(Accelerator accelerator, GuestImage image, MachineResources resources,
                                       String kernelArgs, Path console, String runAsUser) {
        List<String> args = new ArrayList<>(List.of(
                "qemu-system-x86_64",
                "-name", "amber",
                "-machine", "q35",
                "-accel", accelerator == Accelerator.KVM ? "kvm" : "tcg,thread=multi,tb-size=64",
                "-cpu", accelerator == Accelerator.KVM ? "host" : "max",
                "-smp", Integer.toString(resources.vcpus()),
                "-m", resources.memoryMb() + "M",
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                // seccomp: no obsolete syscalls, no child processes, no scheduler/affinity games. set*id
                // stays allowed only because -runas needs it; once QEMU has dropped root (all three
                // uids), the kernel refuses any way back, so the filter would add nothing.
                "-sandbox", "on,obsolete=deny,elevateprivileges=" + (runAsUser == null ? "deny" : "allow")
                        + ",spawn=deny,resourcecontrol=deny",
                "-kernel", image.kernel().toString(),
                "-initrd", image.initramfs().toString(),
                "-append", kernelArgs,
                "-chardev", "file,id=console,path=" + console,
                "-serial", "chardev:console"));
        return args;
    }
}
