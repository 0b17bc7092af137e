package dev.amber.host.confine;

/**
 * What one sandbox's QEMU may use: memory (guest RAM plus QEMU's own), processes and threads, CPU
 * time per period.
 */
public record CgroupLimits(long memoryBytes, int pids, long cpuQuotaMicros, long cpuPeriodMicros) {

    /**
     * QEMU's own memory above guest RAM: under TCG the translation cache (tb-size 64 MiB), QEMU's
     * heap, device buffers, page tables and a migration stream's buffers; measured at 90-150 MiB
     * here, so 256 MiB leaves room without letting a guest take much more than it was given.
     */
    static final long QEMU_OVERHEAD_BYTES = 256L << 20;
    /** vCPU threads, the main loop, RCU, and QEMU's block thread pool (64 threads at most). */
    static final int PIDS_BASE = 128;
    static final long CPU_PERIOD_MICROS = 100_000;

    public CgroupLimits {
        if (memoryBytes <= 0 || pids <= 0 || cpuQuotaMicros <= 0 || cpuPeriodMicros <= 0) {
            throw new IllegalArgumentException("cgroup limits must be positive");
        }
    }

    /**
     * The limits of a machine with {@code vcpus} and {@code memoryMb}: its vCPUs' worth of CPU time
     * plus half a core for QEMU's own threads (device emulation runs beside the vCPUs).
     */
    public static CgroupLimits forMachine(int vcpus, int memoryMb) {
        return new CgroupLimits(((long) memoryMb << 20) + QEMU_OVERHEAD_BYTES, PIDS_BASE + vcpus,
                vcpus * CPU_PERIOD_MICROS + CPU_PERIOD_MICROS / 2, CPU_PERIOD_MICROS);
    }
}
