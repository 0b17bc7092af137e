package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;

/**
 * What a sandbox may ask for. Out-of-range values are refused before anything is created.
 * {@code defaultTimeoutSec} is the timeout of a sandbox whose create does not give one.
 */
public record SandboxLimits(int maxVcpus, int minMemoryMb, int maxMemoryMb, long minDiskMb, long maxDiskMb,
                            int maxTimeoutSec, int defaultTimeoutSec) {

    public static final long DEFAULT_DISK_MB = 5120;
    /** No auto-pause: idle sandboxes are bounded by quotas, not paused behind the user's back. */
    public static final int DEFAULT_TIMEOUT_SEC = 0;

    public SandboxLimits {
        checkTimeout(defaultTimeoutSec, maxTimeoutSec);
    }

    public static SandboxLimits defaults() {
        return new SandboxLimits(16, 128, 16384, 2048, 102_400, 7 * 24 * 3600, DEFAULT_TIMEOUT_SEC);
    }

    /** These limits, with sandboxes that do not say getting {@code timeoutSec}. */
    public SandboxLimits withDefaultTimeoutSec(int timeoutSec) {
        return new SandboxLimits(maxVcpus, minMemoryMb, maxMemoryMb, minDiskMb, maxDiskMb, maxTimeoutSec, timeoutSec);
    }

    public void check(int vcpus, int memoryMb, long diskSizeMb, int timeoutSec) {
        if (vcpus < 1 || vcpus > maxVcpus) {
            throw ApiException.badRequest("vcpus must be between 1 and " + maxVcpus + ", got " + vcpus);
        }
        if (memoryMb < minMemoryMb || memoryMb > maxMemoryMb) {
            throw ApiException.badRequest("memoryMb must be between " + minMemoryMb + " and " + maxMemoryMb
                    + ", got " + memoryMb);
        }
        if (diskSizeMb < minDiskMb || diskSizeMb > maxDiskMb) {
            throw ApiException.badRequest("diskSizeMb must be between " + minDiskMb + " and " + maxDiskMb
                    + ", got " + diskSizeMb);
        }
        checkTimeout(timeoutSec);
    }

    /** Inactivity before an auto-pause, in seconds; 0 means never. */
    void checkTimeout(int timeoutSec) {
        checkTimeout(timeoutSec, maxTimeoutSec);
    }

    private static void checkTimeout(int timeoutSec, int maxTimeoutSec) {
        if (timeoutSec < 0 || timeoutSec > maxTimeoutSec) {
            throw ApiException.badRequest("timeoutSec must be between 0 (never) and " + maxTimeoutSec
                    + ", got " + timeoutSec);
        }
    }
}
