package dev.amber.sdk;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it and reports them to a {@link TransferProgress}. */
final class ProgressInputStream extends FilterInputStream {

    private final long total;
    private final TransferProgress progress;
    private long done;

    ProgressInputStream(InputStream in, long total, TransferProgress progress) {
        super(in);
        this.total = total;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(int n) {
        done += n;
        progress.update(done, total);
    }
}
