package dev.amber.server;

import java.util.Map;

/**
 * What the server lets callers take: the {@code timeoutSec} a sandbox gets when its create does not
 * say (0: never auto-paused), how far a host's memory and cores may be overcommitted by the sandboxes
 * placed on it, and each API key's request rate (a token bucket: {@code requestsPerSec} refill,
 * {@code burst} at most; rate 0 turns it off). Read from the environment:
 * <pre>
 * AMBER_DEFAULT_TIMEOUT_SEC (0)   AMBER_MEMORY_OVERCOMMIT (1.0)   AMBER_VCPU_OVERCOMMIT (4)
 * AMBER_RATE_LIMIT (50 requests/s per API key, 0: off)   AMBER_RATE_LIMIT_BURST (200)
 * </pre>
 */
public record CapacitySettings(int defaultTimeoutSec, double memoryOvercommit, double vcpuOvercommit,
                               double requestsPerSec, int burst) {

    private static final int MAX_TIMEOUT_SEC = 7 * 24 * 3600;

    public CapacitySettings {
        check("defaultTimeoutSec", defaultTimeoutSec, 0, MAX_TIMEOUT_SEC);
        check("memoryOvercommit", memoryOvercommit, 0.001, 100);
        check("vcpuOvercommit", vcpuOvercommit, 0.01, 1000);
        check("requestsPerSec", requestsPerSec, 0, 1_000_000);
        check("burst", burst, 1, 1_000_000);
    }

    /** No auto-pause unless asked, memory not overcommitted, four vCPUs a core, 50 requests/s (burst 200) a key. */
    public static CapacitySettings defaults() {
        return new CapacitySettings(0, 1.0, 4, 50, 200);
    }

    /** The defaults, with what the environment sets instead; a malformed or out-of-range value names its variable. */
    public static CapacitySettings fromEnvironment(Map<String, String> env) {
        CapacitySettings defaults = defaults();
        return new CapacitySettings(
                (int) number(env, "AMBER_DEFAULT_TIMEOUT_SEC", defaults.defaultTimeoutSec(), 0, MAX_TIMEOUT_SEC),
                number(env, "AMBER_MEMORY_OVERCOMMIT", defaults.memoryOvercommit(), 0.001, 100),
                number(env, "AMBER_VCPU_OVERCOMMIT", defaults.vcpuOvercommit(), 0.01, 1000),
                number(env, "AMBER_RATE_LIMIT", defaults.requestsPerSec(), 0, 1_000_000),
                (int) number(env, "AMBER_RATE_LIMIT_BURST", defaults.burst(), 1, 1_000_000));
    }

    private static double number(Map<String, String> env, String name, double fallback, double min, double max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.strip());
            check(name, number, min, max);
            return number;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max
                    + ", got \"" + value + "\"");
        }
    }

    private static void check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + value);
        }
    }
}
