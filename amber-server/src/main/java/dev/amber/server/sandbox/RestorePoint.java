package dev.amber.server.sandbox;

import dev.amber.server.host.SavedPlatform;

import java.util.Optional;
import java.util.UUID;

/**
 * A saved machine a sandbox can be restored from (a snapshot, a checkpoint, a template's layer),
 * as the sandbox side needs it: which one, on which host, with the resources it was saved with.
 * Implemented by the snapshot package's records, so sandboxes need not know snapshots.
 */
public interface RestorePoint {

    UUID id();

    String wireId();

    UUID hostId();

    /** Copied to the object store: any host can restore it, not only {@link #hostId()}. */
    boolean durable();

    /** The platform it was saved on, which a host must offer to restore it; empty when not recorded (older rows). */
    Optional<SavedPlatform> platform();

    int vcpus();

    int memoryMb();

    long diskSizeMb();

    default Resources resources() {
        return new Resources(vcpus(), memoryMb(), diskSizeMb());
    }
}
