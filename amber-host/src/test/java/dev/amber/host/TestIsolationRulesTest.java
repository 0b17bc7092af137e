package dev.amber.host;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of every module keep out of the user's deployment: none but {@link TestLayout} reads the
 * environment's layout, whose data directory is the user's ({@code $AMBER_DATA}, default
 * {@code ~/.amber}), so a new test cannot start a runtime on it by habit.
 */
class TestIsolationRulesTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ENVIRONMENT_LAYOUT = Pattern.compile("Layout\\.fromEnvironment\\(");

    @Test
    void onlyTestLayoutReadsTheLayoutOfTheEnvironment() throws IOException {
        List<Path> offenders;
        try (Stream<Path> modules = Files.list(PROJECT)) {
            offenders = modules.map(module -> module.resolve("src/test/java"))
                    .filter(Files::isDirectory)
                    .flatMap(TestIsolationRulesTest::javaFiles)
                    .filter(file -> !file.getFileName().toString().equals("TestLayout.java"))
                    .filter(file -> ENVIRONMENT_LAYOUT.matcher(read(file)).find())
                    .map(PROJECT::relativize)
                    .toList();
        }
        assertThat(offenders).as("tests that read the environment's layout instead of TestLayout's").isEmpty();
    }

    private static Stream<Path> javaFiles(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
