package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Snapshots of a freshly booted guest, one per machine size, so that a sandbox of that size is a
 * restore (about a second under TCG) rather than a boot. The first cold boot of a size offers it;
 * a background task then boots an offline template of that size, warms the guest agent's exec and
 * native paths (so that every clone starts warm), snapshots it and throws it away. Kept on disk
 * across restarts, keyed by guest image; those of other images are removed at start.
 */
public final class BaseSnapshots implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    /** Bumped whenever what a base snapshot holds changes (e.g. the network the template saw), to rebuild them. */
    private static final String FORMAT = "b2";
    /** Machine sizes with a base snapshot; each costs its memory's touched pages on disk. */
    private static final int MAX_SIZES = 4;
    /** A base snapshot's directory name, as {@link #paths} makes it: prefix, then the size. */
    private static final Pattern SIZE = Pattern.compile("(.*-" + FORMAT + "-)(\\d+)cpu-(\\d+)m-(\\d+)d$");

    /** The sandbox lifecycle, as far as base snapshots need it: templates to boot, snapshot and throw away. */
    public interface Templates {
        /** Boots an offline sandbox {@code templateId} of this size and runs a command in it (its exec path warm). */
        void boot(String templateId, MachineResources resources) throws IOException;

        /** Snapshots the running template into {@code target}. */
        void snapshot(String templateId, Layout.SnapshotPaths target) throws IOException;

        /** Destroys the template, if it exists. */
        void destroy(String templateId) throws IOException;
    }

    private final Templates lifecycle;
    private final Layout layout;
    private final SnapshotStore store;
    private final String imageKey;
    private final boolean enabled;
    private final Map<MachineResources, Boolean> offered = new ConcurrentHashMap<>();
    /** Template sandboxes being booted and snapshotted, with the thread doing it. */
    private final Map<String, Thread> templates = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public BaseSnapshots(Templates lifecycle, Layout layout, SnapshotStore store, String imageKey, boolean enabled) {
        this.lifecycle = requireNonNull(lifecycle, "lifecycle");
        this.layout = requireNonNull(layout, "layout");
        this.store = requireNonNull(store, "store");
        this.imageKey = requireNonNull(imageKey, "imageKey");
        this.enabled = enabled;
    }

    /** The intact base snapshot of this size, if there is one. */
    public Optional<PrestartedMachines.Source> find(MachineResources resources) {
        Layout.SnapshotPaths paths = paths(resources);
        if (!enabled || !Files.exists(paths.manifest())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PrestartedMachines.Source(paths, store.open(paths)));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "base snapshot {0} is unusable, booting instead: {1}", paths.dir(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A sandbox of this size was booted cold: make a base snapshot of the size, once, in the background. */
    public void offer(MachineResources resources) {
        if (!enabled || closed || offered.size() >= MAX_SIZES || offered.putIfAbsent(resources, true) != null) {
            return;
        }
        String templateId = "sb-" + UUID.randomUUID();
        Thread builder = Thread.ofVirtual().name("base-snapshot").unstarted(() -> build(resources, templateId));
        templates.put(templateId, builder);
        builder.start();
    }

    /** Whether {@code sandboxId} is one of ours, not a user's: it is not listed. */
    public boolean isTemplate(String sandboxId) {
        return templates.containsKey(sandboxId);
    }

    private void build(MachineResources resources, String templateId) {
        Layout.SnapshotPaths paths = paths(resources);
        try {
            store.delete(paths);
            lifecycle.boot(templateId, resources);
            if (closed) {
                return;
            }
            lifecycle.snapshot(templateId, paths);
            LOG.log(Level.INFO, "base snapshot for {0} vCPU / {1} MiB ready", resources.vcpus(), resources.memoryMb());
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "could not make a base snapshot for {0}: {1}", resources, e.getMessage());
            }
            deleteQuietly(paths);
        } finally {
            try {
                lifecycle.destroy(templateId);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not destroy base snapshot template {0}: {1}", templateId, e.getMessage());
            }
            templates.remove(templateId);
        }
    }

    /** Deletes the base snapshot of this size, so that the next sandbox of it boots cold and offers it again. */
    public void forget(MachineResources resources) throws IOException {
        store.delete(paths(resources));
        offered.remove(resources);
    }

    /** The sizes this host has an intact base snapshot of (the control plane prefers it for sandboxes of them). */
    public Set<MachineResources> held() throws IOException {
        Path root = layout.baseSnapshots();
        if (!enabled || !Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(dir -> Files.exists(new Layout.SnapshotPaths(dir).manifest()))
                    .map(dir -> SIZE.matcher(dir.getFileName().toString()))
                    .filter(name -> name.matches() && name.group(1).equals(prefix()))
                    .map(name -> new MachineResources(Integer.parseInt(name.group(2)), Integer.parseInt(name.group(3)),
                            Long.parseLong(name.group(4))))
                    .collect(Collectors.toSet());
        }
    }

    /** Removes base snapshots of other guest images, and incomplete ones. */
    public void removeStale() throws IOException {
        Path root = layout.baseSnapshots();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                Layout.SnapshotPaths paths = new Layout.SnapshotPaths(dir);
                if (!dir.getFileName().toString().startsWith(prefix()) || !Files.exists(paths.manifest())) {
                    deleteQuietly(paths);
                }
            }
        }
    }

    private Layout.SnapshotPaths paths(MachineResources resources) {
        return new Layout.SnapshotPaths(layout.baseSnapshots().resolve(prefix() + resources.vcpus() + "cpu-"
                + resources.memoryMb() + "m-" + resources.diskSizeMb() + "d"));
    }

    private String prefix() {
        return imageKey + "-" + FORMAT + "-";
    }

    private void deleteQuietly(Layout.SnapshotPaths paths) {
        try {
            store.delete(paths);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete {0}: {1}", paths.dir(), e.getMessage());
        }
    }

    /**
     * No new builds; one in flight stops at its next step and destroys its template. Not by
     * interrupting it: an interrupt would also break the clean-up of what it half made.
     */
    @Override
    public void close() {
        closed = true;
        for (Thread builder : templates.values()) {
            try {
                builder.join(Duration.ofSeconds(90));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
