package dev.amber.api.metrics;

/**
 * A sandbox's resource use averaged over one interval starting at {@code t} (epoch milliseconds):
 * CPU (100 = one full host core), resident memory of its VM, and the bytes its disk occupies on
 * the host (what it wrote, not its virtual size).
 */
public record MetricPoint(long t, double cpuPercent, long memoryBytes, long diskBytes) {}
