package dev.amber.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What Amber acknowledged to a test (a 2xx answer) and a kill must not undo: the sandboxes it
 * created and the state each was last put in, the files written into them, the snapshots taken
 * and the files they hold. Only sandboxes that can still run (running or paused) are kept; the
 * test drops the ones that end stopped. Safe to update from the thread that calls the API while
 * the test's thread reads it.
 */
final class Acknowledged {

    /** The state a sandbox was acknowledged in. */
    enum State { RUNNING, PAUSED }

    /** A sandbox, its acknowledged state and the files acknowledged as written into it (path to content). */
    record Sandbox(String id, State state, Map<String, String> files) {
        Sandbox {
            files = Map.copyOf(files);
        }

        Sandbox in(State next) {
            return new Sandbox(id, next, files);
        }
    }

    private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
    /** Snapshot name to the files it holds. */
    private final Map<String, Map<String, String>> snapshots = new LinkedHashMap<>();

    synchronized void created(String id, Map<String, String> files) {
        sandboxes.put(id, new Sandbox(id, State.RUNNING, files));
    }

    /** A file was written (the sandbox runs now: a paused one was resumed for the call). */
    synchronized void wrote(String id, String path, String content) {
        Sandbox sandbox = sandboxes.get(id);
        Map<String, String> files = new LinkedHashMap<>(sandbox.files());
        files.put(path, content);
        sandboxes.put(id, new Sandbox(id, State.RUNNING, files));
    }

    synchronized void moved(String id, State state) {
        sandboxes.computeIfPresent(id, (key, sandbox) -> sandbox.in(state));
    }

    /** Deleted by the user, or found stopped: it never runs again. */
    synchronized void gone(String id) {
        sandboxes.remove(id);
    }

    synchronized void snapshotted(String name, Map<String, String> files) {
        snapshots.put(name, Map.copyOf(files));
    }

    synchronized void snapshotDeleted(String name) {
        snapshots.remove(name);
    }

    synchronized Optional<Sandbox> sandbox(String id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    synchronized List<Sandbox> sandboxes() {
        return List.copyOf(sandboxes.values());
    }

    synchronized List<Sandbox> in(State state) {
        return sandboxes.values().stream().filter(sandbox -> sandbox.state() == state).toList();
    }

    /** Name to files, oldest first. */
    synchronized Map<String, Map<String, String>> snapshots() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
    }

    /** A random one of the sandboxes in {@code state}, if any. */
    synchronized Optional<Sandbox> any(State state, Random random) {
        return pick(in(state), random);
    }

    synchronized Optional<Sandbox> any(Random random) {
        return pick(new ArrayList<>(sandboxes.values()), random);
    }

    private static <T> Optional<T> pick(List<T> items, Random random) {
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(random.nextInt(items.size())));
    }
}
