package dev.amber.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Every path Amber uses on a host, built here and only here, from validated ids. What setup builds
 * lives under {@code $AMBER_HOME}; what a running deployment owns lives under {@code $AMBER_DATA}
 * (default: the same directory), so a second deployment can share one set of images.
 * <pre>
 * $AMBER_HOME/images/base/          the guest image (kernel, initramfs, rootfs.qcow2), built by setup
 * $AMBER_HOME/cache/                probe results and build scratch space
 * $AMBER_HOME/postgres-binaries/    the embedded PostgreSQL's binaries, unpacked (0700)
 * $AMBER_DATA/sandboxes/{id}/       one directory per sandbox: disk overlay, memory, sockets, logs,
 *                                   and the saved machine state while it is paused
 * $AMBER_DATA/snapshots/{id}/       one directory per snapshot: memory, device state, frozen disk
 *                                   layer, manifest
 * $AMBER_DATA/base-snapshots/{key}/ the same, of a freshly booted guest per image and machine size
 * $AMBER_DATA/layers/{sha256}.qcow2 disk layers fetched from the object store, named by their
 *                                   stored content, shared by every fetched state that sits on them
 * $AMBER_DATA/postgres/             the embedded database
 * $AMBER_DATA/postgres-socket/      its unix socket (0700)
 * $AMBER_DATA/postgres.password     the password it demands (0600)
 * $AMBER_DATA/admin.key             the platform admin's API key (0600)
 * $AMBER_DATA/cluster-ca/           the control plane's cluster CA: ca.pem, ca.key (0600)
 * $AMBER_DATA/host-identity/        a joined host's link identity: key.pem (0600), cert.pem, ca.pem
 * </pre>
 */
public final class Layout {

    /** Sandbox ids as the control plane issues them: a short prefix, then hex and dashes. */
    private static final Pattern SANDBOX_ID = Pattern.compile("sb-[0-9a-f][0-9a-f-]{7,39}");
    /** Snapshot ids as the control plane issues them. */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("snap-[0-9a-f][0-9a-f-]{7,39}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern IMAGE_ID = Pattern.compile("img-[0-9a-f][0-9a-f-]{7,39}");
    /** sun_path in sockaddr_un is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Path home;
    private final Path data;

    public Layout(Path home, Path data) {
        this.home = requireNonNull(home, "home").toAbsolutePath().normalize();
        this.data = requireNonNull(data, "data").toAbsolutePath().normalize();
    }

    /** Everything under one directory. */
    public Layout(Path home) {
        this(home, home);
    }

    /** {@code $AMBER_HOME} (default {@code ~/.amber}) and {@code $AMBER_DATA} (default {@code $AMBER_HOME}). */
    public static Layout fromEnvironment() {
        Path home = pathFromEnvironment("AMBER_HOME", Path.of(System.getProperty("user.home"), ".amber"));
        return new Layout(home, pathFromEnvironment("AMBER_DATA", home));
    }

    private static Path pathFromEnvironment(String name, Path fallback) {
        String configured = System.getenv(name);
        return configured == null || configured.isBlank() ? fallback : Path.of(configured);
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
        return data.resolve("sandboxes");
    }

    public Path snapshots() {
        return data.resolve("snapshots");
    }

    /**
     * Disk layers fetched from the object store (under a snapshot or paused sandbox restored here
     * from another host), each named by the SHA-256 of the layer as it was stored.
     */
    public Path layers() {
        return data.resolve("layers");
    }

    public Path layer(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("invalid layer hash: " + sha256);
        }
        return layers().resolve(sha256 + ".qcow2");
    }

    /** Machines started ahead of demand; each moves to {@link #sandboxes()} when a sandbox takes it. */
    public Path prestarted() {
        return data.resolve("prestarted");
    }

    /** Root disks that image templates' sandboxes boot from (made by flattening a build's disk). */
    public Path templateImages() {
        return data.resolve("template-images");
    }

    public ImagePaths templateImage(String imageId) {
        if (!isValidImageId(imageId)) {
            throw new IllegalArgumentException("invalid image id: " + imageId);
        }
        return new ImagePaths(templateImages().resolve(imageId));
    }

    public static boolean isValidImageId(String id) {
        return id != null && IMAGE_ID.matcher(id).matches();
    }

    /**
     * Scratch space of helper QEMUs that convert a saved machine (sockets, logs, a throwaway
     * overlay), each named like a sandbox; kept short, for the sockets' sake.
     */
    public Path scratch() {
        return data.resolve("scratch");
    }

    public SandboxPaths scratch(String helperId) {
        return sandboxPaths(scratch(), helperId);
    }

    /** Files of a pre-started machine, named like a sandbox (its network is named after it). */
    public SandboxPaths prestarted(String machineId) {
        return sandboxPaths(prestarted(), machineId);
    }

    public SnapshotPaths snapshot(String snapshotId) {
        if (!isValidSnapshotId(snapshotId)) {
            throw new IllegalArgumentException("invalid snapshot id: " + snapshotId);
        }
        return new SnapshotPaths(snapshots().resolve(snapshotId));
    }

    /** Snapshots of freshly booted guests that sandboxes start from instead of booting; see BaseSnapshots. */
    public Path baseSnapshots() {
        return data.resolve("base-snapshots");
    }

    public Path postgres() {
        return data.resolve("postgres");
    }

    public Path postgresSocket() {
        return data.resolve("postgres-socket");
    }

    public Path postgresPassword() {
        return data.resolve("postgres.password");
    }

    public Path postgresBinaries() {
        return home.resolve("postgres-binaries");
    }

    public Path adminKey() {
        return data.resolve("admin.key");
    }

    /** Where the control plane keeps the CA that issues every link certificate. */
    public Path clusterCa() {
        return data.resolve("cluster-ca");
    }

    /** Where a host that joined a cluster keeps its key, its certificate and the cluster's CA. */
    public Path hostIdentity() {
        return data.resolve("host-identity");
    }

    public SandboxPaths sandbox(String sandboxId) {
        return sandboxPaths(sandboxes(), sandboxId);
    }

    /** The files of sandbox {@code sandboxId} under {@code root}: the id is checked before it becomes a path. */
    private SandboxPaths sandboxPaths(Path root, String sandboxId) {
        if (!isValidSandboxId(sandboxId)) {
            throw new IllegalArgumentException("invalid sandbox id: " + sandboxId);
        }
        SandboxPaths paths = new SandboxPaths(root.resolve(sandboxId));
        if (paths.agentSocket().toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalStateException("AMBER_DATA " + data + " is too long for unix socket paths; "
                    + "use a shorter one (at most ~40 characters)");
        }
        return paths;
    }

    public static boolean isValidSandboxId(String id) {
        return id != null && SANDBOX_ID.matcher(id).matches();
    }

    public static boolean isValidSnapshotId(String id) {
        return id != null && SNAPSHOT_ID.matcher(id).matches();
    }

    /** Files of one sandbox. */
    public record SandboxPaths(Path dir) {
        /** Where the host records QEMU's PID, to find it again if the host agent itself was killed. */
        public static final String PID_FILE = "qemu.pid";

        /** Where the host records its own PID: a sandbox whose host agent is alive is never swept. */
        public static final String OWNER_FILE = "host.pid";

        /** Present while the sandbox is paused; such a directory is never swept. */
        public static final String PAUSE_MANIFEST = "paused.json";

        public Path pidFile() {
            return dir.resolve(PID_FILE);
        }

        public Path ownerFile() {
            return dir.resolve(OWNER_FILE);
        }

        public Path disk() {
            return dir.resolve("disk.qcow2");
        }

        public Path qmpSocket() {
            return dir.resolve("qmp.sock");
        }

        /** A second QMP socket, for the short connections that hand QEMU file descriptors. */
        public Path qmpFdSocket() {
            return dir.resolve("qmp-fd.sock");
        }

        /** Guest RAM, when the VM owns it (booted, or resumed): a sparse file mapped shared. */
        public Path memory() {
            return dir.resolve("memory");
        }

        /** The device state (and, for a VM that did not own its RAM, the RAM) saved by a pause. */
        public Path savedState() {
            return dir.resolve("saved.state");
        }

        /** Present while the sandbox is paused: what {@link #savedState()} holds. */
        public Path pauseManifest() {
            return dir.resolve(PAUSE_MANIFEST);
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

    /** Files of one snapshot; none of them changes after the snapshot is complete. */
    public record SnapshotPaths(Path dir) {
        /** Guest RAM as it was: clones map it privately (copy-on-write). */
        public Path memory() {
            return dir.resolve("memory");
        }

        /** Device state, saved without the RAM (QEMU's x-ignore-shared). */
        public Path deviceState() {
            return dir.resolve("device.state");
        }

        /** The frozen disk layer; clones put a fresh overlay on top of it. */
        public Path disk() {
            return dir.resolve("disk.qcow2");
        }

        public Path manifest() {
            return dir.resolve("manifest.json");
        }

        /** A whole-machine stream (RAM included), while it is turned into {@link #memory()} + {@link #deviceState()}. */
        public Path fullState() {
            return dir.resolve("full.state.tmp");
        }
    }

    /** Files of one template image: a standalone qcow2 root disk and what it was made from. */
    public record ImagePaths(Path dir) {
        public Path disk() {
            return dir.resolve("rootfs.qcow2");
        }

        public Path manifest() {
            return dir.resolve("image.json");
        }
    }
}
