package dev.amber.host.durable;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.GuestImage;
import dev.amber.host.image.QemuImg;
import dev.amber.host.snapshot.FileDigest;
import dev.amber.host.snapshot.SnapshotSource;
import dev.amber.host.snapshot.SnapshotStore;
import dev.amber.store.DurableStore;
import dev.amber.store.FileRecipe;
import dev.amber.store.StateKind;
import dev.amber.store.StoreDamagedException;
import dev.amber.store.StoredManifest;
import dev.amber.store.UploadReport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * This host's side of durable state: it stores a snapshot, or a paused sandbox's saved machine,
 * in the object store, and fetches either when this host lacks it (a snapshot made on another
 * host, a sandbox paused on a host that is gone). A fetched state is assembled beside its place
 * and moved there only when whole, its disk re-pointed at the layers as they lie here.
 */
public final class DurableStates implements SnapshotSource {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    private static final List<String> SNAPSHOT_FILES = List.of("manifest.json", "memory", "device.state", "disk.qcow2");
    private static final String PAUSE_MANIFEST = Layout.SandboxPaths.PAUSE_MANIFEST;
    private static final String DISK = "disk.qcow2";

    private final Layout layout;
    private final DurableStore store;
    private final SnapshotStore snapshots;
    private final FetchedChain chains;
    private final FetchedCache cache;
    private final String hostName;
    private final ConcurrentMap<String, Object> fetching = new ConcurrentHashMap<>();

    /** {@code cacheBytes}: how much of what it fetched this host keeps (see {@link FetchedCache}). */
    public DurableStates(Layout layout, DurableStore store, SnapshotStore snapshots, GuestImage image, String hostName,
                         long cacheBytes) {
        this.layout = requireNonNull(layout, "layout");
        this.store = requireNonNull(store, "store");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.chains = new FetchedChain(layout, store.downloader(), new LocalImage(image));
        this.hostName = requireNonNull(hostName, "hostName");
        this.cache = new FetchedCache(layout, cacheBytes);
    }

    /** Stores snapshot {@code snapshotId} (checked intact first); a stored copy of it is replaced. */
    public UploadReport storeSnapshot(String snapshotId) throws IOException {
        Layout.SnapshotPaths paths = snapshots.paths(snapshotId);
        snapshots.open(paths);
        UploadReport report = store.uploader().upload(StateKind.SNAPSHOT, snapshotId,
                StateFiles.of(paths.dir(), SNAPSHOT_FILES, paths.disk()), Map.of("host", hostName));
        LOG.log(Level.INFO, "snapshot {0} stored: {1}", snapshotId, describe(report));
        return report;
    }

    /** A paused sandbox's state, stored under {@code storedId}. */
    public record StoredPause(String storedId, UploadReport report) {}

    /**
     * Stores the saved machine of paused sandbox {@code paths}, under an id of this pause (so a
     * later pause never overwrites what an earlier one's id names). Refused, and nothing stored
     * under that id, if the sandbox was resumed meanwhile.
     */
    public StoredPause storePaused(Layout.SandboxPaths paths) throws IOException {
        String sandboxId = paths.dir().getFileName().toString();
        String pause = pauseOf(paths, sandboxId);
        String storedId = sandboxId + "-" + pause;
        List<String> names = new ArrayList<>(List.of(PAUSE_MANIFEST, paths.savedState().getFileName().toString(), DISK));
        if (Files.exists(paths.memory())) {
            names.add(paths.memory().getFileName().toString());
        }
        UploadReport report = store.uploader().upload(StateKind.PAUSED_SANDBOX, storedId,
                StateFiles.of(paths.dir(), names, paths.disk()), Map.of("host", hostName, "sandbox", sandboxId));
        if (!pause.equals(pauseOf(paths, sandboxId))) {
            store.manifests().delete(StateKind.PAUSED_SANDBOX, storedId);
            throw new StateChangedException("sandbox " + sandboxId + " was resumed while its paused state was being stored");
        }
        LOG.log(Level.INFO, "paused sandbox {0} stored as {1}: {2}", sandboxId, storedId, describe(report));
        return new StoredPause(storedId, report);
    }

    /** Which pause the sandbox's files are of: the start of its pause manifest's hash. */
    private static String pauseOf(Layout.SandboxPaths paths, String sandboxId) throws IOException {
        try {
            return FileDigest.of(paths.pauseManifest()).sha256().substring(0, 16);
        } catch (NoSuchFileException e) {
            throw new StateChangedException("sandbox " + sandboxId + " is not paused on this host");
        }
    }

    @Override
    public boolean fetch(String snapshotId, Layout.SnapshotPaths target) throws IOException {
        synchronized (fetching.computeIfAbsent(snapshotId, id -> new Object())) {
            try {
                return Files.isDirectory(target.dir()) || fetchNew(snapshotId, target);
            } finally {
                fetching.remove(snapshotId);
            }
        }
    }

    private boolean fetchNew(String snapshotId, Layout.SnapshotPaths target) throws IOException {
        Optional<StoredManifest> manifest = store.manifests().get(StateKind.SNAPSHOT, snapshotId);
        if (manifest.isEmpty()) {
            return false;
        }
        String whose = "snapshot " + snapshotId;
        cache.trim();
        assemble(manifest.get(), target.dir(), target.disk(), whose);
        FetchedCache.mark(target.dir());
        snapshots.adopt(target);
        LOG.log(Level.INFO, "snapshot {0} fetched from the object store ({1} bytes, made on {2})", snapshotId,
                manifest.get().bytes(), manifest.get().labels().getOrDefault("host", "?"));
        return true;
    }

    @Override
    public void opened(Layout.SnapshotPaths paths) throws IOException {
        cache.used(paths);
    }

    /**
     * Puts the paused state stored as {@code storedId} in {@code target} (a sandbox this host does
     * not have), ready to be taken in as paused and resumed.
     */
    public void fetchPaused(String storedId, Layout.SandboxPaths target) throws IOException {
        String sandboxId = target.dir().getFileName().toString();
        StoredManifest manifest = store.manifests().get(StateKind.PAUSED_SANDBOX, storedId)
                .filter(found -> sandboxId.equals(found.labels().get("sandbox")))
                .orElseThrow(() -> new StateNotStoredException("the paused state " + storedId + " of sandbox "
                        + sandboxId + " is not in the object store"));
        cache.trim();
        assemble(manifest, target.dir(), target.disk(), "paused sandbox " + sandboxId);
        LOG.log(Level.INFO, "paused sandbox {0} fetched from the object store ({1} bytes, paused on {2})", sandboxId,
                manifest.bytes(), manifest.labels().getOrDefault("host", "?"));
    }

    /** Fetches a state's own files beside {@code dir}, places its chain, re-points its disk, then moves it in. */
    private void assemble(StoredManifest manifest, Path dir, Path disk, String whose) throws IOException {
        if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(whose + " is already on this host");
        }
        Path staging = layout.scratch().resolve("fetch-" + UUID.randomUUID());
        try {
            List<FileRecipe> chain = new ArrayList<>();
            for (FileRecipe file : manifest.files()) {
                if (StateFiles.isChain(file.name())) {
                    chain.add(file);
                } else {
                    store.downloader().fetch(file, staging.resolve(file.name()), whose);
                }
            }
            Path stagedDisk = staging.resolve(disk.getFileName());
            if (!Files.exists(stagedDisk)) {
                throw new StoreDamagedException(whose + ": its stored manifest has no disk");
            }
            if (!chain.isEmpty()) {
                QemuImg.repoint(stagedDisk, chains.place(chain, whose));
            }
            Files.createDirectories(dir.getParent());
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.deleteTree(staging);
        }
    }

    private static String describe(UploadReport report) {
        return report.bytes() + " bytes, " + report.storedBytes() + " not zero, " + report.uploadedBytes() + " sent in "
                + report.newChunks() + " of " + report.chunks() + " chunks, " + report.took().toMillis() + " ms";
    }
}
