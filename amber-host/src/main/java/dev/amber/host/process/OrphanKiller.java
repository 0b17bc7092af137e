package dev.amber.host.process;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Kills processes this JVM did not start (those a killed predecessor left) and waits until they
 * are dead. Such a process is not our child: once killed it stays a zombie until whoever adopted
 * it reaps it, which some init processes do only every second or two, and
 * {@link ProcessHandle#onExit()} polls it from 300 ms on. A zombie holds no memory and no file, so
 * it counts as dead here, and the wait is a quick poll.
 */
public final class OrphanKiller {

    private static final Duration POLL = Duration.ofMillis(10);

    private OrphanKiller() {}

    /** Sends SIGKILL to every one of {@code processes}, then waits up to {@code deadline} until all are dead. */
    public static void kill(List<ProcessHandle> processes, Duration deadline) throws IOException {
        processes.forEach(ProcessHandle::destroyForcibly);
        long end = System.nanoTime() + deadline.toNanos();
        for (ProcessHandle process : processes) {
            while (process.isAlive() && !isZombie(process.pid())) {
                if (System.nanoTime() > end) {
                    throw new IOException("process " + process.pid() + " is still alive " + deadline.toSeconds()
                            + " s after SIGKILL");
                }
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for process " + process.pid() + " to die");
                }
            }
        }
    }

    /** Whether the process has exited and waits to be reaped: state Z in /proc/PID/stat (after the name in parentheses). */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // gone meanwhile
        }
    }
}
