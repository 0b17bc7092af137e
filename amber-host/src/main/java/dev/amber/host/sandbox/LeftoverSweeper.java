package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.process.OrphanKiller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * At host start, removes what a previous run of the host agent left behind (in sandboxes,
 * pre-started machines and conversion scratch alike) when it was killed
 * without a chance to clean up: QEMU processes it had started (found by the PID it recorded, and
 * only if that process's command line still names the sandbox's directory; all killed at once, so
 * a restart does not wait for them one by one) and their files.
 * Sandboxes whose host agent is still alive (another process on the same AMBER_HOME) are left alone,
 * and so are paused sandboxes: they have no QEMU, and their saved state is the user's data.
 */
public final class LeftoverSweeper {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    private static final Duration QEMU_DEATH_DEADLINE = Duration.ofSeconds(10);
    private static final String LAUNCH_DIR_FILE = "qemu.launched-in";

    private LeftoverSweeper() {}

    static int sweep(Layout layout) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Path root : List.of(layout.sandboxes(), layout.prestarted(), layout.scratch())) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> entries = Files.list(root)) {
                    entries.filter(Files::isDirectory).forEach(dirs::add);
                }
            }
        }
        List<Path> leftovers = new ArrayList<>();
        for (Path dir : dirs) {
            if (!ownerAlive(dir)) {
                leftovers.add(dir);
            }
        }
        List<ProcessHandle> qemus = new ArrayList<>();
        for (Path dir : leftovers) {
            recordedQemu(dir).ifPresent(qemus::add);
        }
        OrphanKiller.kill(qemus, QEMU_DEATH_DEADLINE);
        int swept = 0;
        for (Path dir : leftovers) {
            if (Files.exists(dir.resolve(Layout.SandboxPaths.PAUSE_MANIFEST))) {
                continue; // saved: its QEMU (killed mid-pause, after the save) must not run on
            }
            swept++;
            FileTrees.deleteTree(dir);
            LOG.log(System.Logger.Level.WARNING, "removed leftover sandbox {0} of an earlier run", dir.getFileName());
        }
        return swept;
    }

    private static boolean ownerAlive(Path dir) throws IOException {
        return recordedPid(dir.resolve(Layout.SandboxPaths.OWNER_FILE))
                .flatMap(ProcessHandle::of)
                .map(ProcessHandle::isAlive)
                .orElse(false);
    }

    private static Optional<Long> recordedPid(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The QEMU the sandbox's pid file names, if it still runs that sandbox (not a process that
     * reused the pid): its command line names the directory, or the one a pre-started QEMU was
     * started in.
     */
    private static Optional<ProcessHandle> recordedQemu(Path dir) throws IOException {
        Path launchDirFile = dir.resolve(LAUNCH_DIR_FILE);
        String launchDir = Files.exists(launchDirFile) ? Files.readString(launchDirFile) : dir.toString();
        return recordedPid(dir.resolve(Layout.SandboxPaths.PID_FILE))
                .flatMap(ProcessHandle::of)
                .filter(process -> {
                    String commandLine = commandLine(process.pid());
                    return commandLine.contains(dir + "/") || commandLine.contains(launchDir + "/");
                });
    }

    /** Notes that the sandbox's QEMU was started in {@code launchDir}, since renamed to the sandbox's directory. */
    static void recordLaunchDir(Layout.SandboxPaths paths, Path launchDir) throws IOException {
        Files.writeString(paths.dir().resolve(LAUNCH_DIR_FILE), launchDir.toString());
    }

    /** The process's argv joined by spaces; /proc/PID/cmdline separates them with NULs. */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
