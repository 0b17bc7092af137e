package dev.amber.server.quota;

/**
 * What an operation adds to a team's holdings: sandboxes, vCPUs and memory of VMs, snapshots.
 * Snapshot sizes are not known before they are taken, so a demand never carries bytes.
 */
public record Demand(int sandboxes, int vcpus, long memoryMiB, int snapshots) {

    /** {@code copies} new sandboxes of this size, each with its VM running. */
    public static Demand sandboxes(int copies, int vcpus, long memoryMiB) {
        return new Demand(copies, copies * vcpus, copies * memoryMiB, 0);
    }

    /** A paused sandbox's VM coming back: it holds its slot already. */
    public static Demand resume(int vcpus, long memoryMiB) {
        return new Demand(0, vcpus, memoryMiB, 0);
    }

    /** One more snapshot or checkpoint. */
    public static Demand snapshot() {
        return new Demand(0, 0, 0, 1);
    }
}
