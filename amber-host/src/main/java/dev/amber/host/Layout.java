package dev.amber.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Every path Amber uses on a host, built here and only here, from validated ids.
 * <pre>
 * $AMBER_HOME/images/base/          the guest image (kernel, initramfs, rootfs.qcow2), built by setup
 * $AMBER_HOME/sandboxes/{id}/       one directory per sandbox: disk overlay, sockets, logs
 * $AMBER_HOME/cache/                probe results and build scratch space
 * </pre>
 */
public final class Layout {

    /** Sandbox ids as the control plane issues them: a short prefix, then hex and dashes. */
    private static final Pattern SANDBOX_ID = Pattern.compile("sb-[0-9a-f][0-9a-f-]{7,39}");
    /** sun_path in sockaddr_un is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Path home;

    public Layout(Path home) {
        this.home = requireNonNull(home, "home").toAbsolutePath().normalize();
    }

    /** The layout under {@code $AMBER_HOME}, or {@code ~/.amber} when it is unset. */
    public static Layout fromEnvironment() {
        String configured = System.getenv("AMBER_HOME");
        return new Layout(configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".amber")
                : Path.of(configured));
    }

    public Path home() {
        return home;
    }

    public Path baseImage() {
        return home.resolve("images").resolve("base");
    }

    public Path cache() {
        return home.resolve("cache");
    }

    public Path sandboxes() {
        return home.resolve("sandboxes");
    }

    public SandboxPaths sandbox(String sandboxId) {
        if (!isValidSandboxId(sandboxId)) {
            throw new IllegalArgumentException("invalid sandbox id: " + sandboxId);
        }
        SandboxPaths paths = new SandboxPaths(sandboxes().resolve(sandboxId));
        if (paths.agentSocket().toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalStateException("AMBER_HOME " + home + " is too long for unix socket paths; "
                    + "use a shorter one (at most ~40 characters)");
        }
        return paths;
    }

    public static boolean isValidSandboxId(String id) {
        return id != null && SANDBOX_ID.matcher(id).matches();
    }

    /** Files of one sandbox. */
    public record SandboxPaths(Path dir) {
        public Path disk() {
            return dir.resolve("disk.qcow2");
        }

        public Path qmpSocket() {
            return dir.resolve("qmp.sock");
        }

        public Path agentSocket() {
            return dir.resolve("agent.sock");
        }

        /** QEMU's own stdout and stderr: where the reason of a crash is found. */
        public Path qemuLog() {
            return dir.resolve("qemu.log");
        }

        /** The guest's serial console. */
        public Path console() {
            return dir.resolve("console.log");
        }

        public void create() throws IOException {
            Files.createDirectories(dir);
        }
    }
}
