package dev.amber.server.sandbox;

/** The machine a sandbox gets: virtual CPUs, memory and root disk size. */
public record Resources(int vcpus, int memoryMb, long diskSizeMb) {}
