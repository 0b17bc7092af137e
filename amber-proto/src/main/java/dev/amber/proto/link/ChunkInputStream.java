package dev.amber.proto.link;

import com.google.protobuf.ByteString;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Bytes streamed over the link as a sequence of chunks, read as one {@link InputStream}: each end
 * says only how it gets the next chunk.
 */
public abstract class ChunkInputStream extends InputStream {

    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    /** The next chunk, waiting for it as needed; null once the stream has ended. */
    protected abstract ByteString nextChunk() throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (ended) {
                return -1;
            }
            ByteString next = nextChunk();
            if (next == null) {
                ended = true;
            } else {
                current = next.asReadOnlyByteBuffer();
            }
        }
        int n = Math.min(length, current.remaining());
        current.get(buffer, offset, n);
        return n;
    }
}
