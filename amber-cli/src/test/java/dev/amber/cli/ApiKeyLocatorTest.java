package dev.amber.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyLocatorTest {

    @TempDir
    Path dir;

    @Test
    void environmentVariableWins() throws IOException {
        Files.createDirectories(dir.resolve(".amber"));
        Files.writeString(dir.resolve(".amber/admin.key"), "amb_file");

        ApiKeyLocator locator = new ApiKeyLocator(Map.of("AMBER_API_KEY", " amb_env\n"), dir);

        assertThat(locator.find()).contains("amb_env");
    }

    @Test
    void adminKeyFileUnderAmberHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("amber-home"));
        Files.writeString(home.resolve("admin.key"), "amb_admin\n");

        ApiKeyLocator locator = new ApiKeyLocator(Map.of("AMBER_HOME", home.toString()), dir);

        assertThat(locator.find()).contains("amb_admin");
    }

    @Test
    void amberHomeDefaultsToDotAmberInTheUserHome() throws IOException {
        Files.createDirectories(dir.resolve(".amber"));
        Files.writeString(dir.resolve(".amber/admin.key"), "amb_default");

        ApiKeyLocator locator = new ApiKeyLocator(Map.of("AMBER_API_KEY", ""), dir);

        assertThat(locator.keyFile()).isEqualTo(dir.resolve(".amber/admin.key"));
        assertThat(locator.find()).contains("amb_default");
    }

    @Test
    void nothingFoundIsEmpty() {
        assertThat(new ApiKeyLocator(Map.of(), dir).find()).isEmpty();
    }
}
