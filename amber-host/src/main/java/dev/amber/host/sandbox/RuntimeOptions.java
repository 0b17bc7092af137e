package dev.amber.host.sandbox;

import java.time.Duration;

/**
 * How the runtime treats its VMs. {@code baseSnapshots}: after the first
 * cold boot of a machine size, snapshot a freshly booted, warmed-up guest of that size in the
 * background, and start later sandboxes of that size from it instead of booting.
 * {@code prestartedMachines}: how many QEMUs may wait, started ahead of demand, for the snapshots
 * sandboxes were last created from (one per snapshot; 0: none).
 */
public record RuntimeOptions(Duration bootTimeout, int bootAttempts, Duration agentIdleTimeout,
                             boolean baseSnapshots, int prestartedMachines) {

    public RuntimeOptions {
        if (bootAttempts < 1) {
            throw new IllegalArgumentException("bootAttempts must be at least 1");
        }
        if (prestartedMachines < 0) {
            throw new IllegalArgumentException("prestartedMachines must not be negative");
        }
    }

    /**
     * Defaults: 60 s per boot, two attempts, 30 s agent silence, two pre-started machines.
     */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Duration.ofSeconds(60), 2, Duration.ofSeconds(30), true, 2);
    }

    /** These options, with every sandbox booted cold (to measure boots, for instance). */
    public RuntimeOptions withoutBaseSnapshots() {
        return new RuntimeOptions(bootTimeout, bootAttempts, agentIdleTimeout, false, prestartedMachines);
    }

    /** These options, with at most {@code count} pre-started machines. */
    public RuntimeOptions withPrestartedMachines(int count) {
        return new RuntimeOptions(bootTimeout, bootAttempts, agentIdleTimeout, baseSnapshots, count);
    }
}
