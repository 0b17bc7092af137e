package dev.amber.host.confine;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A pool of uids, one per running QEMU, leased machine-wide (several host runtimes may share a
 * machine, tests do): a slot is taken by creating a file under {@code /run}, atomically, naming the
 * owning process and the machine; a dead owner's slots are taken back by the next runtime to start.
 * The uids have no passwd entry ({@code -runas} takes {@code uid:gid}) and sit far above the ranges
 * that accounts and subordinate-id ranges ({@code /etc/subuid}) use, so nothing else runs as one.
 */
final class UidLeases {

    /** The first uid (and gid) of the pool. */
    static final int BASE_UID = 2_100_000_000;
    static final int SLOTS = 1024;

    private final Path dir;

    UidLeases(Path dir) {
        this.dir = requireNonNull(dir, "dir");
    }

    /** Takes a free slot for {@code machineId}. */
    int acquire(String machineId) throws IOException {
        Files.createDirectories(dir);
        for (int slot = 0; slot < SLOTS; slot++) {
            try {
                Files.writeString(Files.createFile(file(slot)), ProcessHandle.current().pid() + " " + machineId);
                return slot;
            } catch (FileAlreadyExistsException taken) {
                // in use: try the next
            }
        }
        throw new IOException("no free QEMU uid on this machine (" + SLOTS + " in use)");
    }

    void release(int slot) throws IOException {
        Files.deleteIfExists(file(slot));
    }

    /** Slots whose owning process is gone. */
    List<Integer> stale() throws IOException {
        List<Integer> stale = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return stale;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String[] lease = Files.readString(file).strip().split(" ");
                boolean ownerAlive = ProcessHandle.of(Long.parseLong(lease[0])).map(ProcessHandle::isAlive).orElse(false);
                if (!ownerAlive) {
                    stale.add(slotOf(file.getFileName().toString()));
                }
            }
        }
        return stale;
    }

    /** Whether {@code name} (a cgroup's) is a slot's and that slot is leased. */
    boolean isLeased(String name) {
        return name.matches("q[0-9]+") && Files.exists(file(slotOf(name)));
    }

    static String name(int slot) {
        return "q" + slot;
    }

    static int uid(int slot) {
        return BASE_UID + slot;
    }

    private static int slotOf(String name) {
        return Integer.parseInt(name.substring(1));
    }

    private Path file(int slot) {
        return dir.resolve(name(slot));
    }
}
