package dev.amber.api.host;

/**
 * A host machine's capacity and load when it was asked: cores, CPU busy % of all of them (since
 * the previous reading), memory, and the disk where sandboxes keep their files.
 */
public record HostLoad(int cpuCount, double cpuPercent, long memoryTotalBytes, long memoryAvailableBytes,
                       long diskTotalBytes, long diskFreeBytes) {}
