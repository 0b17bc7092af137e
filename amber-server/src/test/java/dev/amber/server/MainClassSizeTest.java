package dev.amber.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A class over 400 lines does more than one job: split it before it grows further. */
class MainClassSizeTest {

    private static final int MAX_LINES = 400;
    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    @Test
    void noMainClassIsOver400Lines() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            assertThat(files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> lines(file) > MAX_LINES)
                    .map(file -> MAIN_SOURCES.relativize(file) + " (" + lines(file) + " lines)"))
                    .as("main classes over %d lines", MAX_LINES)
                    .isEmpty();
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
