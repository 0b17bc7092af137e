package dev.amber.store;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** A file to store, and the name it has inside its saved state ({@link FileRecipe#name()}). */
public record LocalFile(String name, Path path) {

    public LocalFile {
        requireNonNull(path, "path");
        if (!FileRecipe.isValidName(name)) {
            throw new IllegalArgumentException("invalid name for a stored file: " + name);
        }
    }
}
