package dev.amber.host.image;

import java.io.IOException;

/** A disk chain names a file outside the places Amber keeps disks, a device, or an unexpected format: nothing is started on it. */
public final class UnsafeDiskException extends IOException {
    public UnsafeDiskException(String message) {
        super(message);
    }
}
