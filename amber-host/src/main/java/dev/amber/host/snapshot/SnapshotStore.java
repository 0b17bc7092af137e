package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.vm.HostPlatform;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The snapshots of this host, on disk. A snapshot counts only once its manifest is written (last,
 * atomically); opening one checks the manifest (format, checksum, guest image, network, the
 * platform it was made on) and every artefact against it (the chain under its disk layer, each
 * file's length and hash), so a snapshot with a missing or altered file, or one this host's QEMU
 * cannot load, is refused before anything starts from it. Hashing a memory file costs a
 * fraction of a second, so a file is hashed again only when its size or modification time
 * differs from when this process last verified it.
 */
public final class SnapshotStore {

    private final Layout layout;
    private final String imageKey;
    private final HostPlatform platform;
    private final Map<Path, Stamp> verified = new ConcurrentHashMap<>();
    private volatile SnapshotSource elsewhere = SnapshotSource.NONE;

    public SnapshotStore(Layout layout, String imageKey, HostPlatform platform) {
        this.layout = requireNonNull(layout, "layout");
        this.imageKey = requireNonNull(imageKey, "imageKey");
        this.platform = requireNonNull(platform, "platform");
    }

    /** Where a snapshot this host lacks is fetched from before it is opened (the object store). */
    public void fetchMissingFrom(SnapshotSource source) {
        this.elsewhere = requireNonNull(source, "source");
    }

    /** The files of snapshot {@code snapshotId} (which need not exist). */
    public Layout.SnapshotPaths paths(String snapshotId) {
        return layout.snapshot(snapshotId);
    }

    /** An empty directory for a new snapshot; an existing one is an error. */
    public static void prepare(Layout.SnapshotPaths paths) throws IOException {
        Files.createDirectories(paths.dir().getParent());
        Files.createDirectory(paths.dir());
    }

    /**
     * Records the complete snapshot's files, its disk chain, the state of its agent and network and
     * this host's platform in its manifest; from now on it can be opened.
     */
    public SnapshotManifest seal(Layout.SnapshotPaths paths, MachineResources resources, AgentState agent,
                                 NetworkState network) throws IOException {
        String snapshotId = paths.dir().getFileName().toString();
        Map<String, FileDigest> files = new LinkedHashMap<>();
        files.put(SnapshotManifest.MEMORY, FileDigest.of(paths.memory()));
        files.put(SnapshotManifest.DEVICE_STATE, FileDigest.of(paths.deviceState()));
        files.put(SnapshotManifest.DISK, FileDigest.of(paths.disk()));
        SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.FORMAT, snapshotId, resources.vcpus(),
                resources.memoryMb(), resources.diskSizeMb(), imageKey, files, DiskChain.of(paths.disk()), agent, network,
                platform.recording(agent.agentVersion()), Instant.now().toString());
        rememberAll(paths, files);
        manifest.write(paths.manifest());
        return manifest;
    }

    /**
     * Takes in a snapshot fetched from another host, whose disk layer now sits on layers at other
     * paths than its manifest records (same bytes, re-pointed): the manifest is written again with
     * the chain and layer as they are here, everything else as it was made. Its files are not hashed
     * again: the fetch checked every chunk of them against its hash.
     */
    public SnapshotManifest adopt(Layout.SnapshotPaths paths) throws IOException {
        String snapshotId = paths.dir().getFileName().toString();
        SnapshotManifest made = SnapshotManifest.read(paths.manifest(), snapshotId);
        Map<String, FileDigest> files = new LinkedHashMap<>(made.files());
        files.put(SnapshotManifest.DISK, FileDigest.of(paths.disk()));
        SnapshotManifest here = made.relocated(files, DiskChain.of(paths.disk()));
        rememberAll(paths, files);
        here.write(paths.manifest());
        return open(paths);
    }

    /** A complete, intact snapshot this host can restore, or the reason it cannot be used. */
    public SnapshotManifest open(String snapshotId) throws IOException {
        return open(layout.snapshot(snapshotId));
    }

    /**
     * A complete, intact snapshot at {@code paths} this host can restore, or the reason it cannot be
     * used: {@link SnapshotNotFoundException}, {@link SnapshotDamagedException} or
     * {@link SnapshotIncompatibleException}.
     */
    public SnapshotManifest open(Layout.SnapshotPaths paths) throws IOException {
        String snapshotId = paths.dir().getFileName().toString();
        if (!Files.isDirectory(paths.dir()) && !elsewhere.fetch(snapshotId, paths)) {
            throw new SnapshotNotFoundException("no snapshot " + snapshotId + " on this host");
        }
        elsewhere.opened(paths);
        SnapshotManifest manifest;
        try {
            manifest = SnapshotManifest.read(paths.manifest(), snapshotId);
        } catch (NoSuchFileException e) {
            throw new SnapshotDamagedException("snapshot " + snapshotId + " is incomplete: it has no manifest");
        }
        if (!imageKey.equals(manifest.imageKey())) {
            throw new SnapshotDamagedException("snapshot " + snapshotId + " was made from guest image "
                    + manifest.imageKey() + "; this host runs image " + imageKey);
        }
        SnapshotIncompatibleException.requireRestorable("snapshot " + snapshotId, manifest.platform(), platform);
        if (manifest.recordsComponents()) {
            manifest.network().verifyRestorable(snapshotId);
            try {
                manifest.diskChain().verify(snapshotId, paths.disk());
            } catch (NoSuchFileException e) {
                throw new SnapshotDamagedException("snapshot " + snapshotId + " is missing its file " + SnapshotManifest.DISK);
            } catch (SnapshotDamagedException e) {
                throw e;
            } catch (IOException e) {
                throw new SnapshotDamagedException("snapshot " + snapshotId + " has an unreadable disk chain: "
                        + e.getMessage());
            }
        }
        for (Map.Entry<String, FileDigest> file : manifest.files().entrySet()) {
            verify(snapshotId, paths.dir().resolve(file.getKey()), file.getValue());
        }
        return manifest;
    }

    /** Deletes a snapshot's files; an unknown id is not an error. */
    public void delete(String snapshotId) throws IOException {
        delete(layout.snapshot(snapshotId));
    }

    public void delete(Layout.SnapshotPaths paths) throws IOException {
        verified.keySet().removeIf(path -> path.startsWith(paths.dir()));
        FileTrees.deleteTree(paths.dir());
    }

    private void verify(String snapshotId, Path file, FileDigest expected) throws IOException {
        Stamp now;
        try {
            now = Stamp.of(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotDamagedException("snapshot " + snapshotId + " is missing its file " + file.getFileName());
        }
        if (now.equals(verified.get(file))) {
            return;
        }
        FileDigest actual = FileDigest.of(file);
        if (!actual.equals(expected)) {
            throw new SnapshotDamagedException("snapshot " + snapshotId + ": file " + file.getFileName()
                    + " does not match its manifest (" + actual.bytes() + " bytes, sha256 " + actual.sha256()
                    + "; expected " + expected.bytes() + " bytes, sha256 " + expected.sha256() + ")");
        }
        verified.put(file, now);
    }

    /** The files of {@code paths} named in {@code files}, as they are now, count as verified. */
    private void rememberAll(Layout.SnapshotPaths paths, Map<String, FileDigest> files) throws IOException {
        for (String name : files.keySet()) {
            Path file = paths.dir().resolve(name);
            verified.put(file, Stamp.of(file));
        }
    }

    /** What tells a changed file from an unchanged one without reading it. */
    private record Stamp(long bytes, Instant modified, Object fileKey) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.size(), attributes.lastModifiedTime().toInstant(), attributes.fileKey());
        }
    }
}
