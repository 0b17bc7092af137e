package dev.amber.server.file;

import dev.amber.api.error.ApiException;

/** Paths inside a sandbox as users send them: absolute, no NUL, length-bounded. */
final class GuestPaths {

    private static final int MAX_LENGTH = 4096;

    private GuestPaths() {}

    static String check(String path) {
        if (path.indexOf('\0') >= 0) {
            throw ApiException.badRequest("path contains a NUL byte");
        }
        if (!path.startsWith("/")) {
            throw ApiException.badRequest("path must be absolute (start with /): " + path);
        }
        if (path.length() > MAX_LENGTH) {
            throw ApiException.badRequest("path is longer than " + MAX_LENGTH + " characters");
        }
        return path;
    }

    /** An octal mode such as "644" or "0755". */
    static int mode(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int mode = Integer.parseInt(value, 8);
            if (mode < 0 || mode > 07777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("mode must be octal, like 644 or 0755; got \"" + value + "\"");
        }
    }
}
