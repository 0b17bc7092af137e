package dev.amber.api.host;

/**
 * What a host runs machines on: its QEMU release, the versioned machine type (e.g. pc-q35-7.2,
 * never an alias), CPU model and accelerator, and the guest image's kernel. A snapshot records the
 * platform it was made on and is restored only by a host whose QEMU offers that machine type with
 * the same CPU model and accelerator.
 */
public record HostPlatform(String qemuVersion, String machineType, String cpuModel, String accelerator, String kernel) {}
