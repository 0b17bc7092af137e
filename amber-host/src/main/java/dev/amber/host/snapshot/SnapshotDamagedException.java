package dev.amber.host.snapshot;

import java.io.IOException;

/** A snapshot's files are missing or differ from what its manifest recorded: nothing is started from it. */
public final class SnapshotDamagedException extends IOException {
    public SnapshotDamagedException(String message) {
        super(message);
    }
}
