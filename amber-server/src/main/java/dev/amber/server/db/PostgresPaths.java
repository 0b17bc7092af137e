package dev.amber.server.db;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where the embedded PostgreSQL keeps its files.
 *
 * @param data            the cluster (kept across restarts)
 * @param socketDirectory its unix socket, in a directory only Amber's user can enter
 * @param binaries        a directory only Amber's user can enter, where the server's binaries are unpacked
 * @param password        the 0600 file holding the password of the {@code postgres} role
 */
public record PostgresPaths(Path data, Path socketDirectory, Path binaries, Path password) {

    public PostgresPaths {
        requireNonNull(data, "data");
        requireNonNull(socketDirectory, "socketDirectory");
        requireNonNull(binaries, "binaries");
        requireNonNull(password, "password");
    }
}
