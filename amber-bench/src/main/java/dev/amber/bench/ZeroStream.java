package dev.amber.bench;

import java.io.InputStream;
import java.util.Arrays;

/** {@code size} zero bytes, never held in memory at once. */
final class ZeroStream extends InputStream {
    private long left;

    ZeroStream(long size) {
        this.left = size;
    }

    @Override
    public int read() {
        return left-- > 0 ? 0 : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
    }
}
