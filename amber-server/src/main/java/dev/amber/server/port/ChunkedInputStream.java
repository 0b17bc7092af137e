package dev.amber.server.port;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The body of a {@code Transfer-Encoding: chunked} message, decoded: the proxy re-frames what it
 * passes on, so it must know where the sandbox's body ends. Trailers are read and dropped.
 */
final class ChunkedInputStream extends InputStream {

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private long remaining;
    private boolean ended;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

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
        if (remaining == 0 && !ended) {
            nextChunk();
        }
        if (ended) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new ResponseHead.MalformedException("the sandbox's server ended the connection inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            line(); // the CRLF after the chunk's data
        }
        return n;
    }

    private void nextChunk() throws IOException {
        String size = line();
        int extension = size.indexOf(';');
        try {
            remaining = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).strip(), 16);
        } catch (NumberFormatException e) {
            throw new ResponseHead.MalformedException("the sandbox's server sent a malformed chunk size");
        }
        if (remaining < 0) {
            throw new ResponseHead.MalformedException("the sandbox's server sent a negative chunk size");
        }
        if (remaining == 0) {
            while (!line().isEmpty()) {
                // trailers: not passed on
            }
            ended = true;
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new ResponseHead.MalformedException("the sandbox's server ended the connection inside chunk framing");
            }
            if (line.length() > MAX_LINE) {
                throw new ResponseHead.MalformedException("the sandbox's server sent a chunk line over " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }
}
