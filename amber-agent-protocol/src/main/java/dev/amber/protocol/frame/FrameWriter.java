package dev.amber.protocol.frame;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/** Encodes frames onto a byte stream. Thread-safe: each frame is written whole, under a lock. */
public final class FrameWriter {

    private final OutputStream out;
    /** When the write in progress began (System.nanoTime), or 0 when none is. */
    private volatile long writingSince;

    public FrameWriter(OutputStream out) {
        this.out = requireNonNull(out, "out");
    }

    public void write(Frame frame) throws IOException {
        byte[] payload = frame.payload();
        ByteBuffer buffer = ByteBuffer.allocate(Frame.HEADER_BYTES + payload.length + Frame.TRAILER_BYTES);
        buffer.putInt(Frame.MAGIC)
                .put((byte) frame.type().code())
                .put((byte) frame.tag())
                .putShort((short) 0)
                .putInt(frame.streamId())
                .putInt(payload.length);
        buffer.putInt(checksum(buffer.array(), 0, Frame.HEADER_BYTES - 4));
        buffer.put(payload);
        buffer.putInt(checksum(payload, 0, payload.length));
        synchronized (this) {
            writingSince = System.nanoTime() | 1; // never 0 while writing
            try {
                out.write(buffer.array());
                out.flush();
            } finally {
                writingSince = 0;
            }
        }
    }

    /** How long the write in progress has been blocked; 0 when none is. */
    public long blockedNanos() {
        long since = writingSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /** Writes bytes that are not a frame. Only for tests that prove the peer survives garbage. */
    public void writeRaw(byte[] bytes) throws IOException {
        synchronized (this) {
            out.write(bytes);
            out.flush();
        }
    }

    static int checksum(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
