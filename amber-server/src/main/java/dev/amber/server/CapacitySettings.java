package dev.amber.server;

/**
 * What the server lets callers take: the {@code timeoutSec} a sandbox gets when its create does not
 * say (0: never auto-paused), how far a host's memory and cores may be overcommitted by the sandboxes
 * placed on it, and each API key's request rate (a token bucket: {@code requestsPerSec} refill,
 * {@code burst} at most; rate 0 turns it off). {@code amber up} reads them from the environment
 * ({@code AMBER_DEFAULT_TIMEOUT_SEC}, {@code AMBER_MEMORY_OVERCOMMIT}, {@code AMBER_VCPU_OVERCOMMIT},
 * {@code AMBER_RATE_LIMIT}, {@code AMBER_RATE_LIMIT_BURST}).
 */
public record CapacitySettings(int defaultTimeoutSec, double memoryOvercommit, double vcpuOvercommit,
                               double requestsPerSec, int burst) {

    /** The longest default timeout: a week, as for a sandbox's own. */
    public static final int MAX_TIMEOUT_SEC = 7 * 24 * 3600;

    public CapacitySettings {
        check("defaultTimeoutSec", defaultTimeoutSec, 0, MAX_TIMEOUT_SEC);
        check("memoryOvercommit", memoryOvercommit, 0.001, 100);
        check("vcpuOvercommit", vcpuOvercommit, 0.01, 1000);
        check("requestsPerSec", requestsPerSec, 0, 1_000_000);
        check("burst", burst, 1, 1_000_000);
    }

    /** No auto-pause unless asked, memory not overcommitted, sixteen vCPUs a core (an idle sandbox costs
     * next to no CPU and a busy one only slows its neighbours; memory is the hard limit), 50 requests/s (burst 200) a key. */
    public static CapacitySettings defaults() {
        return new CapacitySettings(0, 1.0, 16, 50, 200);
    }

    private static void check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + value);
        }
    }
}
