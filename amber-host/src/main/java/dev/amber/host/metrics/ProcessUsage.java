package dev.amber.host.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process has used, from {@code /proc}: CPU time so far (user + system, all threads) and
 * resident memory now. {@code readAtNanos} is when it was read, to turn two readings into a rate.
 */
record ProcessUsage(long pid, long cpuNanos, long residentBytes, long readAtNanos) {

    /** Linux reports CPU times in /proc in USER_HZ, which is 100 on every architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000;
    /** utime is field 14 of /proc/pid/stat; counting from the field after the command name's ")", index 11. */
    private static final int UTIME_AFTER_COMMAND = 11;

    static ProcessUsage read(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        String stat = Files.readString(proc.resolve("stat"));
        // the command name is in parentheses and may itself hold spaces or parentheses
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_COMMAND]) + Long.parseLong(fields[UTIME_AFTER_COMMAND + 1]);
        return new ProcessUsage(pid, ticks * NANOS_PER_TICK, residentBytes(Files.readAllLines(proc.resolve("status"))),
                System.nanoTime());
    }

    /** CPU use between an earlier reading of the same process and this one; 100 = one full core. */
    double cpuPercentSince(ProcessUsage earlier) {
        long elapsed = readAtNanos - earlier.readAtNanos;
        return elapsed <= 0 ? 0 : 100.0 * (cpuNanos - earlier.cpuNanos) / elapsed;
    }

    private static long residentBytes(Iterable<String> status) throws IOException {
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                String kilobytes = line.substring("VmRSS:".length()).strip();
                return Long.parseLong(kilobytes.substring(0, kilobytes.indexOf(' '))) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc status: the process has exited");
    }
}
