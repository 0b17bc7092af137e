package dev.amber.host.vm;

import dev.amber.host.Layout;
import dev.amber.host.confine.QemuJail;
import dev.amber.host.image.GuestImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact argv QEMU gets, for each accelerator, memory backing, start mode and confinement; the
 * machine is always the versioned type, never the alias q35.
 */
class QemuCommandLineTest {

    private static final GuestImage IMAGE = new GuestImage("key", Path.of("/img/vmlinuz"), Path.of("/img/initramfs.img"),
            Path.of("/img/rootfs.qcow2"), 1024, Path.of("/img/oci-inject.tar"), "linux-image-6.1.0-57-cloud-amd64");
    private static final Layout.SandboxPaths PATHS = new Layout.SandboxPaths(Path.of("/data/sandboxes/sb-1"));
    private static final MachineResources RESOURCES = new MachineResources(2, 512, 5120);
    private static final QemuJail JAIL = new QemuJail(2_100_000_007,
            List.of(Path.of("/sys/fs/cgroup/amber/q7/cgroup.procs")), PATHS.dir());
    private static final QemuCommandLine.Nic NIC = new QemuCommandLine.Nic("amber-0123456789ab", "tap0",
            "amber.net=10.127.0.2/30,10.127.0.1 amber.dns=192.0.2.53");

    @Test
    void tcgSandboxWithItsOwnMemoryFileBootsInItsNamespaceOnTheOverlayDescriptors() {
        List<String> argv = sandbox(Accelerator.TCG, new MemoryBacking.OwnedFile(PATHS.memory()), false, Optional.empty());

        assertThat(argv).containsExactlyElementsOf(expected(List.of(
                "-accel", "tcg,thread=multi,tb-size=64", "-cpu", "max"), "deny",
                "memory-backend-file,id=mem0,size=512M,mem-path=/data/sandboxes/sb-1/memory,share=on", List.of()));
    }

    @Test
    void kvmSandboxUsesTheHostCpu() {
        List<String> argv = sandbox(Accelerator.KVM, new MemoryBacking.OwnedFile(PATHS.memory()), false, Optional.empty());

        assertThat(argv).containsExactlyElementsOf(expected(List.of("-accel", "kvm", "-cpu", "host"), "deny",
                "memory-backend-file,id=mem0,size=512M,mem-path=/data/sandboxes/sb-1/memory,share=on", List.of()));
    }

    @Test
    void cloneMapsTheSnapshotMemoryPrivatelyAndWaitsForItsState() {
        List<String> argv = sandbox(Accelerator.KVM,
                new MemoryBacking.PrivateCopy(Path.of("/data/snapshots/snap-1/memory")), true, Optional.empty());

        assertThat(argv).containsExactlyElementsOf(expected(List.of("-accel", "kvm", "-cpu", "host"), "deny",
                "memory-backend-file,id=mem0,size=512M,mem-path=/data/snapshots/snap-1/memory,share=off",
                List.of("-incoming", "defer")));
    }

    @Test
    void resumeWithRamInTheStreamUsesAnonymousMemory() {
        List<String> argv = sandbox(Accelerator.TCG, new MemoryBacking.Anonymous(), true, Optional.empty());

        assertThat(argv).containsExactlyElementsOf(expected(List.of(
                "-accel", "tcg,thread=multi,tb-size=64", "-cpu", "max"), "deny",
                "memory-backend-ram,id=mem0,size=512M", List.of("-incoming", "defer")));
    }

    @Test
    void jailedSandboxJoinsItsCgroupThenRunsInItsOwnMountNamespaceAndDropsToItsUid() {
        List<String> argv = sandbox(Accelerator.TCG, new MemoryBacking.OwnedFile(PATHS.memory()), true, Optional.of(JAIL));

        List<String> qemu = expected(List.of("-accel", "tcg,thread=multi,tb-size=64", "-cpu", "max"), "allow",
                "memory-backend-file,id=mem0,size=512M,mem-path=/data/sandboxes/sb-1/memory,share=on",
                List.of("-incoming", "defer", "-runas", "2100000007:2100000007"));
        List<String> jailed = new ArrayList<>(List.of(
                "sh", "-c", "echo $$ > '/sys/fs/cgroup/amber/q7/cgroup.procs' && exec \"$@\" 3<>\"$0\" 4<\"$0\"",
                "/data/sandboxes/sb-1/disk.qcow2",
                "ip", "netns", "exec", "amber-0123456789ab",
                "unshare", "--mount", "--propagation", "slave", "sh", "-c",
                "mkdir -p '/data/sandboxes/sb-1/.view'"
                        + " && mount -t tmpfs -o mode=0711,size=64k amber-hidden '/data/sandboxes/sb-1/.view'"
                        + " && mkdir '/data/sandboxes/sb-1/.view/sb-1'"
                        + " && mount --bind '/data/sandboxes/sb-1' '/data/sandboxes/sb-1/.view/sb-1'"
                        + " && mount --move '/data/sandboxes/sb-1/.view' '/data/sandboxes' && exec \"$@\"",
                "sh"));
        jailed.addAll(qemu.subList(qemu.indexOf("qemu-system-x86_64"), qemu.size()));
        assertThat(argv).containsExactlyElementsOf(jailed);
    }

    @Test
    void bootOnlyIsKernelAndInitramfsOfTheDefaultMachineWithoutDevices() {
        List<String> argv = QemuCommandLine.bootOnly(machine(Accelerator.KVM), IMAGE, Path.of("/tmp/probe/console.log")).argv();

        assertThat(argv).containsExactly(
                "qemu-system-x86_64", "-name", "amber", "-machine", "pc-q35-7.2", "-accel", "kvm", "-cpu", "host",
                "-smp", "1", "-m", "256M", "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                "-kernel", "/img/vmlinuz", "-initrd", "/img/initramfs.img",
                "-append", "console=ttyS0 panic=-1 quiet loglevel=3 amber.probe=1",
                "-chardev", "file,id=console,path=/tmp/probe/console.log,append=on", "-serial", "chardev:console");
    }

    private static List<String> sandbox(Accelerator accelerator, MemoryBacking memory, boolean incoming,
                                        Optional<QemuJail> jail) {
        return QemuCommandLine.sandbox(machine(accelerator), IMAGE, PATHS, RESOURCES, "sb-1", memory, NIC, incoming, jail).argv();
    }

    private static MachineModel machine(Accelerator accelerator) {
        return new MachineModel("pc-q35-7.2", accelerator);
    }

    private static List<String> expected(List<String> acceleration, String elevatePrivileges, String memoryObject,
                                         List<String> tail) {
        List<String> argv = new ArrayList<>(List.of(
                "sh", "-c", "exec \"$@\" 3<>\"$0\" 4<\"$0\"", "/data/sandboxes/sb-1/disk.qcow2",
                "ip", "netns", "exec", "amber-0123456789ab",
                "qemu-system-x86_64", "-name", "amber", "-machine", "pc-q35-7.2,memory-backend=mem0"));
        argv.addAll(acceleration);
        argv.addAll(List.of(
                "-smp", "2", "-m", "512M", "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-sandbox", "on,obsolete=deny,elevateprivileges=" + elevatePrivileges + ",spawn=deny,resourcecontrol=deny",
                "-kernel", "/img/vmlinuz", "-initrd", "/img/initramfs.img",
                "-append", "console=ttyS0 panic=-1 quiet loglevel=3 amber.hostname=sb-1 "
                        + "amber.net=10.127.0.2/30,10.127.0.1 amber.dns=192.0.2.53",
                "-chardev", "file,id=console,path=/data/sandboxes/sb-1/console.log,append=on", "-serial", "chardev:console",
                "-object", memoryObject,
                "-add-fd", "fd=3,set=1", "-add-fd", "fd=4,set=1",
                "-drive", "file=/dev/fdset/1,if=none,id=root,format=qcow2,cache=writeback,discard=unmap,file.locking=off",
                "-device", "virtio-blk-pci,drive=root",
                "-device", "virtio-serial-pci,max_ports=2",
                "-chardev", "socket,id=agent,path=/data/sandboxes/sb-1/agent.sock,server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=amber.0",
                "-object", "rng-random,id=rng0,filename=/dev/urandom",
                "-device", "virtio-rng-pci,rng=rng0",
                "-netdev", "tap,id=net0,ifname=tap0,script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:a7:00:02",
                "-qmp", "unix:/data/sandboxes/sb-1/qmp.sock,server=on,wait=off",
                "-qmp", "unix:/data/sandboxes/sb-1/qmp-fd.sock,server=on,wait=off"));
        argv.addAll(tail);
        return argv;
    }
}
