package dev.amber.server.sandbox;

/**
 * Deletes the stored state nothing needs any more: snapshots no one can use (hidden ones, checkpoints
 * of stopped sandboxes) and template images no template boots. Called after a sandbox, snapshot or
 * template is deleted, since each can be the last user of something.
 */
@FunctionalInterface
public interface FreedStorage {

    /** Must not throw: what cannot go now waits for the next collection. */
    void collect();
}
