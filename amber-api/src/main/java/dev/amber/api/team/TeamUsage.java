package dev.amber.api.team;

/** What a team holds now, counted as its {@link TeamQuota} counts it. */
public record TeamUsage(int sandboxes, int runningVcpus, long memoryMiB, int snapshots, double snapshotGiB) {}
