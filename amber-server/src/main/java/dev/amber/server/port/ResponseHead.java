package dev.amber.server.port;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status line and headers of a response read from a sandbox's server, byte by byte so that
 * nothing past the head is consumed: what follows is the body, or another protocol after a 101.
 */
record ResponseHead(int status, String reason, List<Header> headers) {

    /** Longest head accepted; a server that sends more is broken or hostile. */
    static final int MAX_BYTES = 64 * 1024;

    record Header(String name, String value) {}

    /** Thrown when the server's answer is not HTTP/1.x: the proxy reports a bad gateway. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Reads the head; the status line is judged as soon as it is complete, so that a server speaking
     * another protocol (an SSH or Redis greeting) is reported at once instead of awaited.
     */
    static ResponseHead read(InputStream in) throws IOException {
        HeadLines lines = new HeadLines(in);
        String first = lines.next();
        if (first.isEmpty()) {
            throw new MalformedException("the sandbox's server sent an empty status line");
        }
        String[] statusLine = first.split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new MalformedException("the sandbox's server did not answer with HTTP/1.x");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new MalformedException("the sandbox's server sent a malformed status line");
        }
        if (status < 100 || status > 599) {
            throw new MalformedException("the sandbox's server sent status " + status);
        }
        List<Header> headers = new ArrayList<>();
        for (String line = lines.next(); !line.isEmpty(); line = lines.next()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("the sandbox's server sent a malformed header line");
            }
            headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new ResponseHead(status, statusLine.length > 2 ? statusLine[2] : "", List.copyOf(headers));
    }

    /** The first value of header {@code name} (case-insensitive). */
    Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** Whether header {@code name} lists {@code token} among its comma-separated values. */
    boolean hasToken(String name, String token) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name))
                .flatMap(h -> List.of(h.value().split(",")).stream())
                .anyMatch(value -> value.strip().toLowerCase(Locale.ROOT).equals(token));
    }

    /** The head's lines one by one, without their CRLF; the empty one ends the head. */
    private static final class HeadLines {

        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private int total;

        HeadLines(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            line.reset();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new MalformedException(total == 0
                            ? "the sandbox's server closed the connection without answering"
                            : "the sandbox's server closed the connection in the middle of its response head");
                }
                if (++total > MAX_BYTES) {
                    throw new MalformedException("the sandbox's server sent a response head over " + MAX_BYTES + " bytes");
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
        }
    }
}
