package dev.amber.server.host;

/** Saved machine states on a host, and the template images made of them or imported. */
public interface HostSnapshots {

    /** Saves a running sandbox's machine state as {@code snapshotId} ("snap-…"); the sandbox keeps running. */
    SnapshotOutcome create(String sandboxId, String snapshotId) throws HostException;

    /** Puts a running or paused sandbox back to a snapshot's state; it is running afterwards. */
    void restore(String sandboxId, String snapshotId) throws HostException;

    /** Copies a snapshot to the object store, so that any host can start from it. */
    StoredState store(String snapshotId) throws HostException;

    /** Deletes a snapshot's files. Unknown ids are not an error. */
    void delete(String snapshotId) throws HostException;

    /** Makes template image {@code imageId} ("img-…") of snapshot {@code snapshotId}'s disk; returns its bytes. */
    long flatten(String snapshotId, String imageId) throws HostException;

    /** Makes template image {@code imageId} of the OCI archive {@code uri} on the host; returns its bytes. */
    long importImage(String uri, String imageId, long diskSizeMb) throws HostException;

    /** Deletes a template image's files. Unknown ids are not an error. */
    void deleteImage(String imageId) throws HostException;

    /**
     * A finished snapshot: how long the sandbox's vCPUs were stopped, the whole duration, the bytes
     * it occupies on the host, and the machine it restores to.
     */
    record SnapshotOutcome(long pauseWindowMs, long durationMs, long sizeBytes, int vcpus, int memoryMb,
                           long diskSizeMb) {}
}
