package dev.amber.host;

import dev.amber.host.fs.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where tests keep their files. The images come from the real {@code $AMBER_HOME}, which setup
 * built and which tests only read; everything a deployment owns (sandboxes, snapshots, base
 * snapshots, database, keys) goes to a data directory of the test's own. {@code $AMBER_DATA} is
 * never read: a test on the user's data would see their sandboxes, and its runtime's start-up sweep
 * would remove the ones it took for leftovers. The only test code that reads the environment's
 * layout is this class ({@code TestIsolationRulesTest} holds every module's tests to it).
 */
public final class TestLayout {

    private TestLayout() {}

    /** The images setup built: {@code $AMBER_HOME} (default {@code ~/.amber}). */
    public static Path images() {
        return Layout.fromEnvironment().home();
    }

    /** The guest image setup built, under {@link #images()}. */
    public static Path baseImage() {
        return Layout.fromEnvironment().baseImage();
    }

    /** A new, empty data directory; short (under /tmp), for the unix sockets under it. */
    public static Path newDataDirectory() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "amber-t-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The setup's images with a new, empty data directory. */
    public static Layout temporary() {
        return withData(newDataDirectory());
    }

    /** The setup's images with {@code data} as the deployment's directory. */
    public static Layout withData(Path data) {
        return new Layout(images(), requireNonNull(data, "data"));
    }

    /** Removes a data directory made by {@link #newDataDirectory()}, once nothing runs on it. */
    public static void delete(Path data) throws IOException {
        FileTrees.deleteTree(requireNonNull(data, "data"));
    }
}
