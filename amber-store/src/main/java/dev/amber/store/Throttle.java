package dev.amber.store;

import java.io.InterruptedIOException;

/**
 * Keeps uploads under a byte rate shared by every thread of the process (0 = unbounded), so a
 * burst of snapshots does not starve the host's sandboxes of network.
 */
final class Throttle {

    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Waits until {@code bytes} more fit in the rate. */
    void acquire(long bytes) throws InterruptedIOException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
            waitNanos = start - now;
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for upload bandwidth");
            }
        }
    }
}
