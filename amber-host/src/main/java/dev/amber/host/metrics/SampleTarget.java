package dev.amber.host.metrics;

import java.nio.file.Path;

/** A running sandbox to sample: its id, its QEMU's pid, and its disk overlay. */
public record SampleTarget(String sandboxId, long pid, Path disk) {}
