package dev.amber.server.host;

/** A machine size a host has a base snapshot of: a sandbox of it starts there without a boot. */
public record BaseSize(int vcpus, int memoryMb) {}
