package dev.amber.host.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory trees on this host's disk. */
public final class FileTrees {

    private FileTrees() {}

    /** Deletes {@code dir} and everything under it; a missing directory is not an error. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The apparent size of {@code path}'s regular files (a sparse file counts whole, so this is at
     * least what the disk holds); a missing path is 0.
     */
    public static long sizeOf(Path path) throws IOException {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            long bytes = 0;
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(file);
            }
            return bytes;
        }
    }
}
