package dev.amber.server.sandbox;

/** Deletes the checkpoints nothing needs any more; called after a sandbox is deleted. Implemented by snapshots. */
@FunctionalInterface
public interface UnusedCheckpoints {

    /** Must not throw: a checkpoint that cannot go now waits for the next collection. */
    void collect();
}
