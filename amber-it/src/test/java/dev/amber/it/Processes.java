package dev.amber.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What runs on this machine, read from /proc: to prove nothing was left behind. */
final class Processes {

    private Processes() {}

    /** PIDs of QEMU processes whose command line mentions {@code path}. */
    static List<Long> qemusMentioning(Path path) {
        return ProcessHandle.allProcesses()
                .filter(process -> {
                    String cmdline = cmdline(process.pid());
                    return cmdline.startsWith("qemu-system") && cmdline.contains(path.toString());
                })
                .map(ProcessHandle::pid)
                .toList();
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
