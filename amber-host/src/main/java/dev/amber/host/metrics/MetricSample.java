package dev.amber.host.metrics;

/**
 * A sandbox's resource use at one moment, or averaged over a bucket starting at {@code timeMillis}:
 * CPU of its QEMU process (100 = one full core), QEMU's resident memory, and the bytes its disk
 * overlay occupies on the host's disk.
 */
public record MetricSample(long timeMillis, double cpuPercent, long memoryBytes, long diskBytes) {}
