package dev.amber.host.durable;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.Qcow2Header;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * What this host fetched from the object store is a cache, kept under {@code limitBytes} (apparent
 * sizes: a sparse memory file counts whole): the
 * snapshots it fetched (marked by a {@link #MARKER} file, touched each time one is opened) and the
 * disk layers under them. Past the limit, the least recently used fetched snapshot that nothing
 * here stands on (no sandbox, paused sandbox or waiting machine has its disk on it) goes, then
 * every fetched layer no disk here reads through any more. Snapshots made on this host are never
 * evicted: their host is where they live.
 */
final class FetchedCache {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    static final String MARKER = "fetched";

    private final Layout layout;
    private final long limitBytes;

    FetchedCache(Layout layout, long limitBytes) {
        this.layout = requireNonNull(layout, "layout");
        this.limitBytes = limitBytes;
    }

    /** Marks a snapshot just fetched into {@code dir} as part of the cache. */
    static void mark(Path dir) throws IOException {
        Files.writeString(dir.resolve(MARKER), "");
    }

    /** A fetched snapshot was opened: it is the most recently used. */
    void used(Layout.SnapshotPaths paths) throws IOException {
        Path marker = paths.dir().resolve(MARKER);
        if (Files.exists(marker)) {
            Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis()));
        }
    }

    /** Evicts until the cache fits its limit, or nothing more can go. */
    synchronized void trim() throws IOException {
        List<Path> fetched = fetchedSnapshots();
        long bytes = sizeOf(fetched) + sizeOf(layers());
        if (bytes <= limitBytes) {
            return;
        }
        Set<Path> standing = readThrough(machineDisks());
        fetched.sort(Comparator.comparing(FetchedCache::lastUse));
        for (Path snapshot : fetched) {
            if (bytes <= limitBytes) {
                break;
            }
            if (standing.stream().noneMatch(file -> file.startsWith(snapshot))) {
                long freed = FileTrees.sizeOf(snapshot);
                FileTrees.deleteTree(snapshot);
                bytes -= freed;
                LOG.log(Level.INFO, "fetched snapshot {0} evicted from the cache ({1} bytes)", snapshot.getFileName(), freed);
            }
        }
        List<Path> disks = new ArrayList<>(machineDisks());
        for (Path snapshot : fetchedSnapshots()) {
            disks.add(snapshot.resolve("disk.qcow2"));
        }
        Set<Path> needed = readThrough(disks);
        for (Path layer : layers()) {
            if (!needed.contains(layer)) {
                bytes -= Files.size(layer);
                Files.deleteIfExists(layer);
            }
        }
    }

    private List<Path> fetchedSnapshots() throws IOException {
        return children(layout.snapshots()).stream().filter(dir -> Files.exists(dir.resolve(MARKER)))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private List<Path> layers() throws IOException {
        return children(layout.layers()).stream().filter(file -> file.getFileName().toString().endsWith(".qcow2")).toList();
    }

    /** The top disks of every machine here: sandboxes (running or paused) and machines waiting to be taken. */
    private List<Path> machineDisks() throws IOException {
        List<Path> disks = new ArrayList<>();
        for (Path root : List.of(layout.sandboxes(), layout.prestarted())) {
            for (Path dir : children(root)) {
                disks.add(dir.resolve("disk.qcow2"));
            }
        }
        return disks;
    }

    /** Every file the given disks read through (their backing chains, absolute and normalised). */
    private static Set<Path> readThrough(List<Path> disks) {
        Set<Path> files = new HashSet<>();
        for (Path disk : disks) {
            try {
                for (Optional<Path> layer = Qcow2Header.backingFile(disk); layer.isPresent();
                     layer = Qcow2Header.backingFile(layer.get())) {
                    files.add(layer.get().toAbsolutePath().normalize());
                }
            } catch (NoSuchFileException e) {
                // a machine that went meanwhile stands on nothing
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cache: could not read the chain of {0}: {1}", disk, e.getMessage());
            }
        }
        return files;
    }

    private static FileTime lastUse(Path snapshot) {
        try {
            return Files.getLastModifiedTime(snapshot.resolve(MARKER));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOf(List<Path> paths) throws IOException {
        long bytes = 0;
        for (Path path : paths) {
            bytes += FileTrees.sizeOf(path);
        }
        return bytes;
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.toAbsolutePath().normalize()).toList();
        }
    }
}
