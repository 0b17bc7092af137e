package dev.amber.server.file;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails an upload the moment it passes {@code limit} bytes; the guest then discards the partial file. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(long n) {
        count += n;
        if (count > limit) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "upload exceeds the sandbox's disk size of "
                    + limit / (1024 * 1024) + " MiB");
        }
    }
}
