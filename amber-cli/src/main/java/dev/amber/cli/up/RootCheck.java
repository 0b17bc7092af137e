package dev.amber.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether {@code amber up} may run as root. It runs the control plane in one process with the
 * local host, and the host needs root (network namespaces, nftables, cgroups, dropping each QEMU
 * to a uid of its own), so root is the single-box mode; but a server reachable from the network
 * should not be root by accident, so it takes {@code AMBER_ALLOW_ROOT=1} to say it is meant
 * ({@code ./amber up} sets it). The QEMUs themselves never run as root after start-up.
 */
final class RootCheck {

    static final String ALLOW_ROOT = "AMBER_ALLOW_ROOT";

    private RootCheck() {}

    /** Why {@code amber up} must not start, if it must not. */
    static Optional<String> refusal(boolean root, Map<String, String> env) {
        return refusal(root, env, "amber up is running as root. It runs the server in one process with the local "
                + "host, which needs root; set " + ALLOW_ROOT + "=1 to run it so (./amber up does), knowing the API "
                + "server then runs as root too. Each QEMU still drops to a uid of its own.");
    }

    /** Why {@code amber server}, which needs no root at all, must not start, if it must not. */
    static Optional<String> serverRefusal(boolean root, Map<String, String> env) {
        return refusal(root, env, "amber server is running as root, which it does not need: run it as an unprivileged "
                + "user (deploy/systemd/amber-server.service does), or set " + ALLOW_ROOT + "=1 to run it as root anyway.");
    }

    private static Optional<String> refusal(boolean root, Map<String, String> env, String why) {
        return !root || "1".equals(env.get(ALLOW_ROOT)) ? Optional.empty() : Optional.of(why);
    }

    static boolean runningAsRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }
}
