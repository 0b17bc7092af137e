package dev.amber.server.host;

import java.io.IOException;

/** A failed host call, classified. */
public final class HostException extends IOException {

    /** How the failure maps to the API. */
    public enum Kind {
        /** No such path, no such sandbox on the host. */
        NOT_FOUND,
        /** The request was wrong for the guest: bad path, unknown user, not a directory... */
        INVALID,
        /** Exists already, directory not empty. */
        CONFLICT,
        /** The guest's disk is full. */
        NO_SPACE,
        /** The sandbox is not running on the host (crashed, stopped). */
        NOT_RUNNING,
        /** The guest or host did not answer in time. */
        TIMEOUT,
        /** The host could not do it (boot failed, host unreachable...). */
        UNAVAILABLE,
        /** A snapshot's files are missing or do not match their checksums; nothing was started from it. */
        SNAPSHOT_DAMAGED,
        /** A snapshot or paused sandbox was made on a platform the host cannot restore; nothing was started from it. */
        SNAPSHOT_INCOMPATIBLE
    }

    private final Kind kind;

    public HostException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HostException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
