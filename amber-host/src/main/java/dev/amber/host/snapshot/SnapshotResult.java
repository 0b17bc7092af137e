package dev.amber.host.snapshot;

import dev.amber.host.vm.MachineResources;

import java.time.Duration;

/**
 * A finished snapshot: how long the sandbox's vCPUs were stopped, how long the whole operation
 * took, the bytes it occupies on the host, and the machine it restores to.
 */
public record SnapshotResult(Duration pauseWindow, Duration took, long sizeBytes, MachineResources resources) {}
