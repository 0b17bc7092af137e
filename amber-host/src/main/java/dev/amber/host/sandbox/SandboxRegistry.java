package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.snapshot.PauseManifest;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The sandboxes this host knows, by id: running, paused on disk, or on their way in or out. */
final class SandboxRegistry {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();

    /** Adds a new sandbox; its id must be new on this host. */
    void add(Sandbox sandbox) {
        if (sandboxes.putIfAbsent(sandbox.id(), sandbox) != null) {
            throw new IllegalStateException("sandbox " + sandbox.id() + " already exists on this host");
        }
    }

    boolean contains(String id) {
        return sandboxes.containsKey(id);
    }

    void remove(String id) {
        sandboxes.remove(id);
    }

    Optional<Sandbox> find(String id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    Sandbox require(String id) throws SandboxNotFoundException {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new SandboxNotFoundException("no sandbox " + id + " on this host");
        }
        return sandbox;
    }

    Collection<Sandbox> all() {
        return sandboxes.values();
    }

    /** Sandboxes a previous run of the host agent paused: they wait on disk for a resume. */
    void adoptPaused(Layout layout) throws IOException {
        try (Stream<Path> dirs = Files.list(layout.sandboxes())) {
            for (Path dir : dirs.toList()) {
                String id = dir.getFileName().toString();
                Layout.SandboxPaths paths = Layout.isValidSandboxId(id) ? layout.sandbox(id) : null;
                if (paths == null || !Files.exists(paths.pauseManifest()) || sandboxes.containsKey(id)) {
                    continue;
                }
                PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
                Files.writeString(paths.ownerFile(), Long.toString(ProcessHandle.current().pid()));
                sandboxes.put(id, Sandbox.paused(new SandboxSpec(id, manifest.resources()), paths));
                LOG.log(Level.INFO, "sandbox {0} is paused on disk; resumable", id);
            }
        }
    }

    static void requireRunning(Sandbox sandbox) throws SandboxNotRunningException {
        if (sandbox.state() != SandboxState.RUNNING) {
            throw new SandboxNotRunningException("sandbox " + sandbox.id() + " is "
                    + sandbox.state().name().toLowerCase(Locale.ROOT));
        }
    }
}
