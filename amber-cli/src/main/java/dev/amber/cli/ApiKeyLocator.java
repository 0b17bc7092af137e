package dev.amber.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the key comes from when {@code --api-key} is not given: {@code $AMBER_API_KEY}, else the admin
 * key the server wrote to {@code $AMBER_HOME/admin.key} ({@code AMBER_HOME} defaults to {@code ~/.amber}).
 */
final class ApiKeyLocator {

    static final String KEY_VARIABLE = "AMBER_API_KEY";
    static final String HOME_VARIABLE = "AMBER_HOME";
    static final String KEY_FILE = "admin.key";

    private final Map<String, String> environment;
    private final Path userHome;

    ApiKeyLocator(Map<String, String> environment, Path userHome) {
        this.environment = requireNonNull(environment, "environment");
        this.userHome = requireNonNull(userHome, "userHome");
    }

    static ApiKeyLocator fromSystem() {
        return new ApiKeyLocator(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    Optional<String> find() {
        String fromEnvironment = environment.get(KEY_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment.strip());
        }
        Path file = keyFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String key = Files.readString(file).strip();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API key from " + file + ": " + e.getMessage(), e);
        }
    }

    Path keyFile() {
        String home = environment.get(HOME_VARIABLE);
        Path amberHome = home == null || home.isBlank() ? userHome.resolve(".amber") : Path.of(home);
        return amberHome.resolve(KEY_FILE);
    }
}
