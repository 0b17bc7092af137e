package dev.amber.host.snapshot;

import java.io.IOException;

/** No snapshot with that id exists on this host. */
public final class SnapshotNotFoundException extends IOException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
