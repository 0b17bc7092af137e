package dev.amber.host.fs;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Manifests on disk: written whole to a temporary sibling, then renamed into place, so a reader never sees half of one. */
public final class JsonFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {}

    public static void writeAtomically(Path file, Object value) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(partial.toFile(), value);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    public static <T> T read(Path file, Class<T> type) throws IOException {
        return JSON.readValue(file.toFile(), type);
    }
}
