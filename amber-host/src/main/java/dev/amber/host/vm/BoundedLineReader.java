package dev.amber.host.vm;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Newline-terminated lines of at most a fixed length. A longer line is skipped whole as it
 * streams by, never buffered: what QEMU relays (events a guest can trigger) must not grow the host.
 */
final class BoundedLineReader {

    private final InputStream in;
    private final int maxLineBytes;

    BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = new BufferedInputStream(requireNonNull(in, "in"));
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line within the limit, without its newline; null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                if (!tooLong) {
                    return line.toString(StandardCharsets.UTF_8);
                }
                tooLong = false;
            } else if (!tooLong && line.size() < maxLineBytes) {
                line.write(b);
            } else if (!tooLong) {
                tooLong = true;
                line.reset();
            }
        }
        return null;
    }
}
