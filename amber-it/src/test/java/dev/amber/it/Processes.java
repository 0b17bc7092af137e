package dev.amber.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What runs on this machine, read from /proc: to prove nothing was left behind. */
final class Processes {

    private Processes() {}

    /**
     * PIDs of QEMU processes whose command line names a file under directory {@code path} (with its
     * slash: {@code /tmp/amber-t-1} must not match another deployment's {@code /tmp/amber-t-12}).
     */
    static List<Long> qemusMentioning(Path path) {
        return ProcessHandle.allProcesses()
                .filter(process -> {
                    String cmdline = cmdline(process.pid());
                    return cmdline.startsWith("qemu-system") && cmdline.contains(path + "/");
                })
                .map(ProcessHandle::pid)
                .toList();
    }

    /** The QEMU a sandbox's directory records in its {@code qemu.pid}, if that QEMU runs. */
    static Optional<Long> qemuOf(Path sandboxDir) {
        Path pidFile = sandboxDir.resolve("qemu.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return cmdline(pid).startsWith("qemu-system") ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * QEMUs of the deployment under {@code data} that wait, started ahead of demand, for a sandbox
     * to take them: their command line names a directory still under {@code data/prestarted}.
     */
    static Set<Long> waitingPrestarted(Path data) {
        Path root = data.resolve("prestarted");
        return qemusMentioning(root).stream()
                .filter(pid -> {
                    String cmdline = cmdline(pid);
                    int start = cmdline.indexOf(root + "/") + root.toString().length() + 1;
                    int end = cmdline.indexOf('/', start);
                    return end > start && Files.isDirectory(root.resolve(cmdline.substring(start, end)));
                })
                .collect(Collectors.toSet());
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
