package dev.amber.host.confine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One QEMU's cgroup: a directory per hierarchy (one under cgroup v2, one per controller under v1),
 * and the file whose {@code oom_kill} counter says whether the kernel killed in it for memory.
 */
public record MachineCgroup(List<Path> dirs, Path oomCounter) {

    private static final int REMOVE_ATTEMPTS = 50;

    public MachineCgroup {
        dirs = List.copyOf(dirs);
        requireNonNull(oomCounter, "oomCounter");
    }

    /** The files a process writes its pid into to join this cgroup, one per hierarchy. */
    public List<Path> procsFiles() {
        return dirs.stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    /** How many processes the kernel killed in this cgroup for lack of memory (0 if unknown). */
    public long oomKills() {
        try {
            for (String line : Files.readAllLines(oomCounter)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable: no evidence of a kill
        }
        return 0;
    }

    /**
     * Kills what is still in it (a QEMU whose host agent died) and removes its directories; a
     * process just reaped may linger for a moment, so removal is retried briefly.
     */
    public void remove() throws IOException {
        for (Path dir : dirs) {
            killMembers(dir);
            removeDir(dir);
        }
    }

    private static void killMembers(Path dir) throws IOException {
        Path procs = dir.resolve("cgroup.procs");
        if (!Files.exists(procs)) {
            return;
        }
        for (String pid : Files.readAllLines(procs)) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static void removeDir(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (NoSuchFileException gone) {
                return;
            } catch (IOException busy) {
                if (attempt == REMOVE_ATTEMPTS) {
                    throw new IOException("cgroup " + dir + " still has processes: " + busy.getMessage(), busy);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted removing cgroup " + dir, e);
                }
            }
        }
    }
}
