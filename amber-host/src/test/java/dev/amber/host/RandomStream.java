package dev.amber.host;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;

/**
 * {@code size} seeded pseudo-random bytes, produced as they are read and digested on the way:
 * large transfers in tests without holding them in memory. Shared with other modules' tests.
 */
public final class RandomStream extends InputStream {

    private final Random random;
    private final MessageDigest digest;
    private long left;

    public RandomStream(long size, long seed, MessageDigest digest) {
        this.random = new Random(seed);
        this.digest = digest;
        this.left = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left == 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        byte[] chunk = new byte[n];
        random.nextBytes(chunk);
        System.arraycopy(chunk, 0, b, off, n);
        digest.update(chunk);
        left -= n;
        return n;
    }
}
