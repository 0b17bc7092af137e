package dev.amber.server.host;

/** A machine size a host holds a base snapshot of: a sandbox of that size starts there without a boot. */
public record BaseSize(int vcpus, int memoryMb) {}
