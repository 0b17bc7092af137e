package dev.amber.sdk.error;

import java.util.Map;

/**
 * HTTP 409 {@code snapshot_incompatible}: the snapshot, or a paused sandbox's saved state, was made
 * on a platform (QEMU machine type, CPU model, accelerator) its host cannot restore; the message
 * names each mismatch. Nothing was started.
 */
public class SnapshotIncompatibleException extends ConflictException {

    public SnapshotIncompatibleException(String code, int status, String message, Map<String, Object> details) {
        super(code, status, message, details);
    }
}
