package dev.amber.host.snapshot;

import dev.amber.host.vm.HostPlatform;
import dev.amber.host.vm.MachinePlatform;

import java.io.IOException;
import java.util.List;

/**
 * A saved machine (snapshot or paused sandbox) is intact but was made on a platform this host
 * cannot restore it on (see {@link HostPlatform#mismatches}); the message names each mismatch.
 * Nothing was started from it, and it stays as it was: a host with that platform can still use it.
 */
public final class SnapshotIncompatibleException extends IOException {

    private SnapshotIncompatibleException(String message) {
        super(message);
    }

    /**
     * Refuses {@code saved} ({@code what}: "snapshot snap-1") unless {@code host} can restore it; a
     * manifest from before platforms were recorded ({@code saved} null) was made on this host's.
     */
    static void requireRestorable(String what, MachinePlatform saved, HostPlatform host) throws SnapshotIncompatibleException {
        if (saved == null) {
            return;
        }
        List<String> mismatches = host.mismatches(saved);
        if (!mismatches.isEmpty()) {
            throw new SnapshotIncompatibleException(what + " cannot be restored on this host: it needs "
                    + String.join("; ", mismatches));
        }
    }
}
