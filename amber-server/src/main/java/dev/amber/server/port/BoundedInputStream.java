package dev.amber.server.port;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Exactly {@code length} bytes of a stream: a body framed by Content-Length. */
final class BoundedInputStream extends InputStream {

    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new ResponseHead.MalformedException("the sandbox's server ended its response " + remaining
                    + " bytes short of its Content-Length");
        }
        remaining -= n;
        return n;
    }
}
