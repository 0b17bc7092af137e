package dev.amber.server.durable;

import org.jdbi.v3.core.Handle;

import java.util.UUID;

/**
 * PostgreSQL advisory locks that keep every server replica's work on the object store apart: a
 * copy (upload) of one state runs in one replica at a time, and the chunk collector runs only while
 * no copy does (copies take the collection lock shared, the collector exclusive), so it never
 * deletes a chunk a copy has just found stored and is about to name in a manifest. Session locks:
 * they go with the connection if a replica dies.
 */
final class StoreLocks {

    /** Key space of Amber's advisory locks on the object store (the first of the two-int key). */
    private static final int SPACE = 0x414d4252; // "AMBR"
    private static final int COLLECTION = 1;

    private StoreLocks() {}

    /** Takes the collection lock shared unless the collector holds it; false then. */
    static boolean tryCopying(Handle handle) {
        return handle.createQuery("select pg_try_advisory_lock_shared(:space, :key)")
                .bind("space", SPACE).bind("key", COLLECTION).mapTo(Boolean.class).one();
    }

    static void doneCopying(Handle handle) {
        handle.createQuery("select pg_advisory_unlock_shared(:space, :key)")
                .bind("space", SPACE).bind("key", COLLECTION).mapTo(Boolean.class).one();
    }

    /** Takes the collection lock exclusively unless a copy or another collector holds it; false then. */
    static boolean tryCollecting(Handle handle) {
        return handle.createQuery("select pg_try_advisory_lock(:space, :key)")
                .bind("space", SPACE).bind("key", COLLECTION).mapTo(Boolean.class).one();
    }

    static void doneCollecting(Handle handle) {
        handle.createQuery("select pg_advisory_unlock(:space, :key)")
                .bind("space", SPACE).bind("key", COLLECTION).mapTo(Boolean.class).one();
    }

    /** Claims the copy of one state for this replica; false when another replica copies it now. */
    static boolean tryClaim(Handle handle, UUID state) {
        return handle.createQuery("select pg_try_advisory_lock(:key)")
                .bind("key", state.getMostSignificantBits() ^ state.getLeastSignificantBits()).mapTo(Boolean.class).one();
    }

    static void release(Handle handle, UUID state) {
        handle.createQuery("select pg_advisory_unlock(:key)")
                .bind("key", state.getMostSignificantBits() ^ state.getLeastSignificantBits()).mapTo(Boolean.class).one();
    }
}
