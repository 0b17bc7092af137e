package dev.amber.host.grpc;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Keeps the first {@code limit} bytes written and drops the rest, remembering that it did: a
 * process that prints gigabytes is drained to the end without the host holding more than the limit.
 */
final class BoundedSink extends OutputStream {

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    BoundedSink(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        this.limit = limit;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int room = limit - kept.size();
        kept.write(bytes, offset, Math.min(room, length));
        truncated |= length > room;
    }

    byte[] bytes() {
        return kept.toByteArray();
    }

    boolean truncated() {
        return truncated;
    }
}
