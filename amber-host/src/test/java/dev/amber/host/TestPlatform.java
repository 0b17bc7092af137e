package dev.amber.host;

import dev.amber.host.vm.Accelerator;
import dev.amber.host.vm.HostPlatform;
import dev.amber.host.vm.MachineModel;
import dev.amber.host.vm.QemuRelease;

import java.util.Map;
import java.util.Set;

/** A host's platform as Debian 12's QEMU 7.2 under TCG makes it, for tests that need one without asking QEMU. */
public final class TestPlatform {

    public static final QemuRelease QEMU_7_2 = new QemuRelease("7.2.22",
            Set.of("pc-q35-7.2", "pc-q35-7.1", "pc-q35-7.0"), Map.of("q35", "pc-q35-7.2"));
    public static final String KERNEL = "linux-image-6.1.0-57-cloud-amd64 6.1.192-3";
    public static final HostPlatform TCG = new HostPlatform(QEMU_7_2, new MachineModel("pc-q35-7.2", Accelerator.TCG),
            KERNEL);

    private TestPlatform() {}
}
