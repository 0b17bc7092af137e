package dev.amber.host.snapshot;

import dev.amber.host.Layout;

import java.io.IOException;

/** Somewhere a snapshot this host does not have can come from. */
@FunctionalInterface
public interface SnapshotSource {

    /** No such place: a snapshot is on this host or nowhere. */
    SnapshotSource NONE = (snapshotId, target) -> false;

    /**
     * Puts snapshot {@code snapshotId}'s files (manifest included) at {@code target}, complete, or
     * leaves nothing there; false when the source does not have it.
     */
    boolean fetch(String snapshotId, Layout.SnapshotPaths target) throws IOException;

    /** Told each time a snapshot at {@code paths} is opened to start from (its copy is in use). */
    default void opened(Layout.SnapshotPaths paths) throws IOException {}
}
