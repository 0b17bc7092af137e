package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `./amber up` as a separate process, as a user runs it (with the jars and image the surrounding
 * `./amber test` already built), on its own data directory and port; called with real curl.
 */
final class AmberUp {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Settings of the machine rather than of a deployment: where setup put the images, which accelerator. */
    private static final Set<String> MACHINE_SETTINGS = Set.of("AMBER_HOME", "AMBER_ACCELERATOR");

    private final Path data;
    private final int port;
    private final int registryPort;
    private Process process;

    private AmberUp(Path data, int port, int registryPort) {
        this.data = data;
        this.port = port;
        this.registryPort = registryPort;
    }

    /** Starts it and waits until it is ready. */
    static AmberUp start(Path data) throws IOException {
        AmberUp up = new AmberUp(data, Processes.freePort(), Processes.freePort());
        up.restart();
        return up;
    }

    /** Starts it again on the same data directory and port, after {@link #stop()} or {@link #kill()}. */
    void restart() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(PROJECT.resolve("amber").toString(), "up")
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("up.log").toFile()));
        // the user's own settings (their data, database, ports, bind address) are not this test's
        builder.environment().keySet().removeIf(name -> name.startsWith("AMBER_") && !MACHINE_SETTINGS.contains(name));
        builder.environment().put("AMBER_DATA", data.toString());
        builder.environment().put("AMBER_PORT", Integer.toString(port));
        builder.environment().put("AMBER_GRPC_PORT", Integer.toString(registryPort));
        builder.environment().put("AMBER_PREBUILT", "1");
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as("amber up exited: %s", log()).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url() + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String adminKey() throws IOException {
        return Files.readString(data.resolve("admin.key")).strip();
    }

    /** SIGTERM, as Ctrl-C or systemd would; waits for a clean exit. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("amber up did not stop: %s", log()).isTrue();
        assertThat(process.exitValue()).as(log()).isIn(0, 130, 143);
    }

    /**
     * After a test: stops it if it still runs, and kills QEMUs a killed instance left (a failed
     * test may never have restarted it to sweep them).
     */
    void cleanUp() throws InterruptedException {
        stop();
        for (long pid : Processes.qemusMentioning(data)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The PID of the running `amber up` (the script execs its JVM, so it is the JVM's). */
    long pid() {
        return process.pid();
    }

    /** SIGKILL: no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Real curl, as the README shows it; the response body as JSON (any status). */
    JsonNode curl(String key, String method, String path, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-X", method, "-H", "X-API-Key: " + key,
                url() + path));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(output).isZero();
        return output.isBlank() ? JSON.createObjectNode() : JSON.readTree(output);
    }

    String log() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("up.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
