package dev.amber.host.network;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Link slots (and so namespace addresses) are unique per machine, not per process: several host
 * runtimes may share a machine (tests do). A slot is taken by creating a file under /run, atomically;
 * the file names the namespace and the owning process, so leftovers of a dead owner can be removed
 * without touching a live one's.
 */
final class LinkLeases {

    static final Path DIR = Path.of("/run/amber-net");

    private LinkLeases() {}

    /** A slot of a dead owner, to clean up. */
    record Stale(int slot, String namespace) {}

    static int acquire(String namespace) throws IOException {
        Files.createDirectories(DIR);
        for (int slot = 1; slot < Addressing.LINK_SLOTS; slot++) {
            try {
                Files.writeString(Files.createFile(file(slot)), namespace + " " + ProcessHandle.current().pid());
                return slot;
            } catch (FileAlreadyExistsException taken) {
                // in use: try the next
            }
        }
        throw new IOException("no free network link on this machine (" + Addressing.LINK_SLOTS + " in use)");
    }

    static void release(int slot) throws IOException {
        Files.deleteIfExists(file(slot));
    }

    /** The namespaces of every lease, live or stale. */
    static List<String> leasedNamespaces() throws IOException {
        if (!Files.isDirectory(DIR)) {
            return List.of();
        }
        try (var files = Files.list(DIR)) {
            List<String> namespaces = new ArrayList<>();
            for (Path file : files.toList()) {
                namespaces.add(Files.readString(file).strip().split(" ")[0]);
            }
            return namespaces;
        }
    }

    /** Leases whose owning process is gone. */
    static List<Stale> stale() throws IOException {
        List<Stale> stale = new ArrayList<>();
        if (!Files.isDirectory(DIR)) {
            return stale;
        }
        try (var files = Files.list(DIR)) {
            for (Path file : files.toList()) {
                String[] lease = Files.readString(file).strip().split(" ");
                boolean ownerAlive = lease.length == 2 && ProcessHandle.of(Long.parseLong(lease[1]))
                        .map(ProcessHandle::isAlive).orElse(false);
                if (!ownerAlive) {
                    stale.add(new Stale(Integer.parseInt(file.getFileName().toString().substring(5)), lease[0]));
                }
            }
        }
        return stale;
    }

    private static Path file(int slot) {
        return DIR.resolve("slot-" + slot);
    }
}
