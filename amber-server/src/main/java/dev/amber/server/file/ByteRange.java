package dev.amber.server.file;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte range of a {@code Range} header (RFC 9110 section 14), resolved against the file's
 * size: {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. A header that is
 * malformed or asks for several ranges is ignored (the whole file is served, as the RFC allows); a
 * range that starts past the end is refused with 416.
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    long length() {
        return last - first + 1;
    }

    /** {@code Content-Range} of this part of a file of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    static Optional<ByteRange> of(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher matcher = SINGLE.matcher(header.strip());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return Optional.empty();
        }
        if (matcher.group(1).isEmpty()) {
            long suffix = Long.parseLong(matcher.group(2));
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(matcher.group(1));
        long last = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
        if (!matcher.group(2).isEmpty() && Long.parseLong(matcher.group(2)) < first) {
            return Optional.empty();
        }
        if (first >= size) {
            throw unsatisfiable(header, size);
        }
        return Optional.of(new ByteRange(first, last));
    }

    private static ApiException unsatisfiable(String header, long size) {
        return new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE, "range \"" + header + "\" is outside the file ("
                + size + " bytes)", Map.of("size", size));
    }
}
