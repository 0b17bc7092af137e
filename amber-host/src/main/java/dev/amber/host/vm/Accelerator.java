package dev.amber.host.vm;

/** How QEMU runs guest code on this host. */
public enum Accelerator {
    /** Hardware virtualisation through /dev/kvm. */
    KVM,
    /** QEMU's software emulation: slower, but runs anywhere, including hosts whose /dev/kvm cannot run a stock kernel. */
    TCG;

    public String lowerName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
