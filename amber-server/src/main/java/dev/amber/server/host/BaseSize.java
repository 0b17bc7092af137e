package dev.amber.server.host;

/** A machine size a host holds a base snapshot of: a default create of that size restores it there. */
public record BaseSize(int vcpus, int memoryMb) {}
