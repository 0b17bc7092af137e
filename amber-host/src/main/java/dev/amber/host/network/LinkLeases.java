package dev.amber.host.network;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Link slots (and so namespace addresses) are unique per machine, not per process: several host
 * runtimes may share a machine (tests do). A slot is taken by creating a file under /run, atomically;
 * the file names the namespace and the owning process, so leftovers of a dead owner can be removed
 * without touching a live one's. A lease appears with its content (written aside, then hard-linked
 * into place): another runtime's start-up that read an empty, just-created lease would take it for
 * a dead owner's and release it under the live one.
 */
final class LinkLeases {

    static final Path DIR = Path.of("/run/amber-net");
    private static final String SLOT_PREFIX = "slot-";
    /** A lease being written, not yet a lease. */
    private static final String PENDING_PREFIX = "pending-";

    private LinkLeases() {}

    /** A slot of a dead owner, to clean up. */
    record Stale(int slot, String namespace) {}

    static int acquire(String namespace) throws IOException {
        Files.createDirectories(DIR);
        Path written = Files.createTempFile(DIR, PENDING_PREFIX, "");
        try {
            Files.writeString(written, namespace + " " + ProcessHandle.current().pid());
            for (int slot = 1; slot < Addressing.LINK_SLOTS; slot++) {
                try {
                    Files.createLink(file(slot), written);
                    return slot;
                } catch (FileAlreadyExistsException taken) {
                    // in use: try the next
                }
            }
        } finally {
            Files.deleteIfExists(written);
        }
        throw new IOException("no free network link on this machine (" + Addressing.LINK_SLOTS + " in use)");
    }

    static void release(int slot) throws IOException {
        Files.deleteIfExists(file(slot));
    }

    /** The namespaces of every lease, live or stale. */
    static List<String> leasedNamespaces() throws IOException {
        return leases().stream().map(Lease::namespace).toList();
    }

    /** Leases whose owning process is gone. */
    static List<Stale> stale() throws IOException {
        return leases().stream()
                .filter(lease -> !lease.owner().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false))
                .map(lease -> new Stale(lease.slot(), lease.namespace()))
                .toList();
    }

    /** One lease file: its slot, the namespace it names, and the owner's pid when it can be read. */
    private record Lease(int slot, String namespace, Optional<Long> owner) {}

    /** Every lease now; one released meanwhile is skipped, a file being written is no lease yet. */
    private static List<Lease> leases() throws IOException {
        if (!Files.isDirectory(DIR)) {
            return List.of();
        }
        List<Lease> leases = new ArrayList<>();
        try (var files = Files.list(DIR)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(SLOT_PREFIX)) {
                    continue;
                }
                String[] content;
                try {
                    content = Files.readString(file).strip().split(" ");
                } catch (NoSuchFileException released) {
                    continue;
                }
                leases.add(new Lease(Integer.parseInt(name.substring(SLOT_PREFIX.length())), content[0], owner(content)));
            }
        }
        return leases;
    }

    private static Optional<Long> owner(String[] content) {
        try {
            return content.length == 2 ? Optional.of(Long.parseLong(content[1])) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Path file(int slot) {
        return DIR.resolve(SLOT_PREFIX + slot);
    }
}
