package dev.amber.host.vm;

/** What a VM gets: virtual CPUs, memory and the virtual size of its disk. */
public record MachineResources(int vcpus, int memoryMb, long diskSizeMb) {

    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 65536;
    public static final int MAX_VCPUS = 64;
    public static final long DEFAULT_DISK_MB = 5120;
    public static final long MAX_DISK_MB = 1024L * 1024;

    public static final MachineResources DEFAULT = new MachineResources(1, 256, DEFAULT_DISK_MB);

    /** Checks the values a user asked for; the message says what is allowed. */
    public MachineResources {
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw new IllegalArgumentException("vcpus must be between 1 and " + MAX_VCPUS + ", got " + vcpus);
        }
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            throw new IllegalArgumentException("memoryMb must be between " + MIN_MEMORY_MB + " and " + MAX_MEMORY_MB
                    + ", got " + memoryMb);
        }
        if (diskSizeMb < 1 || diskSizeMb > MAX_DISK_MB) {
            throw new IllegalArgumentException("diskSizeMb must be between 1 and " + MAX_DISK_MB + ", got " + diskSizeMb);
        }
    }
}
