package dev.amber.host.machine;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The host machine's capacity and load, read from /proc and the file system where sandboxes live:
 * what an operator needs to see before placing more sandboxes on it. CPU busy time is measured
 * between two readings, so each reading reports the load since the one before.
 */
public final class MachineLoad {

    /** One reading. {@code cpuPercent}: busy share of all cores since the previous reading, 0-100. */
    public record Reading(int cpuCount, double cpuPercent, long memoryTotalBytes, long memoryAvailableBytes,
                          long diskTotalBytes, long diskFreeBytes) {}

    private final Path dataDirectory;
    private long lastBusy;
    private long lastTotal;

    /** {@code dataDirectory}: where sandboxes keep their files (its file system's free space counts). */
    public MachineLoad(Path dataDirectory) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory");
    }

    public synchronized Reading read() throws IOException {
        long[] cpu = cpuTimes();
        long busy = cpu[0];
        long total = cpu[1];
        double percent = total > lastTotal ? 100.0 * (busy - lastBusy) / (total - lastTotal) : 0;
        lastBusy = busy;
        lastTotal = total;
        FileStore store = Files.getFileStore(dataDirectory);
        List<String> meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
        return new Reading(Runtime.getRuntime().availableProcessors(), percent, kilobytes(meminfo, "MemTotal:") * 1024,
                kilobytes(meminfo, "MemAvailable:") * 1024, store.getTotalSpace(), store.getUsableSpace());
    }

    /** Busy and total jiffies of all cores (the first line of /proc/stat); idle and iowait are not busy. */
    private static long[] cpuTimes() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {total - idle, total};
    }

    /** The value of {@code key} in /proc/meminfo's lines, in kB. */
    private static long kilobytes(List<String> meminfo, String key) throws IOException {
        for (String line : meminfo) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("/proc/meminfo has no " + key);
    }
}
