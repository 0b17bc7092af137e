package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start, as a new user runs it: `./amber up`, then curl. Then Ctrl-C (SIGTERM)
 * and a restart, after which keys are still there and the sandbox whose VM went away with the
 * process is reported honestly.
 */
class QuickStartTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void upThenCurlRunsPythonAndARestartKeepsEverythingHonest() throws Exception {
        int port = Processes.freePort();
        String url = "http://127.0.0.1:" + port;
        Process up = amberUp(port);
        try {
            awaitReady(url, up);
            String key = Files.readString(data.resolve("admin.key")).strip();

            JsonNode sandbox = curl(key, "POST", url + "/v1/sandboxes", "{}");
            assertThat(sandbox.path("state").asText()).as(sandbox.toString()).isEqualTo("running");
            String id = sandbox.path("id").asText();
            JsonNode exec = curl(key, "POST", url + "/v1/sandboxes/" + id + "/exec",
                    "{\"cmd\": [\"python3\", \"-c\", \"print(6*7)\"]}");
            assertThat(exec.path("stdout").asText()).isEqualTo("42\n");
            assertThat(exec.path("exitCode").asInt()).isZero();
            curl(key, "POST", url + "/v1/api-keys", "{\"name\": \"survives-restarts\"}");
            String teamKey = curl(key, "POST", url + "/v1/admin/teams", "{\"name\": \"restart-team\"}")
                    .path("apiKey").path("secret").asText();

            stop(up);
            assertThat(Processes.qemusMentioning(data)).as("QEMU processes left behind").isEmpty();
            assertThat(data.resolve("sandboxes").resolve(id)).doesNotExist();

            up = amberUp(port);
            awaitReady(url, up);
            JsonNode after = curl(key, "GET", url + "/v1/sandboxes/" + id, null);
            assertThat(after.path("state").asText()).isEqualTo("stopped");
            assertThat(after.path("stateReason").asText()).isNotBlank();
            assertThat(curl(key, "GET", url + "/v1/api-keys", null).findValuesAsText("name")).contains("survives-restarts");
            assertThat(curl(teamKey, "GET", url + "/v1/teams/me", null).path("name").asText()).isEqualTo("restart-team");
        } finally {
            stop(up);
        }
    }

    /** `./amber up` with the jars and image the surrounding `./amber test` already built. */
    private Process amberUp(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(PROJECT.resolve("amber").toString(), "up")
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("up.log").toFile()));
        builder.environment().put("AMBER_DATA", data.toString());
        builder.environment().put("AMBER_PORT", Integer.toString(port));
        builder.environment().put("AMBER_PREBUILT", "1");
        return builder.start();
    }

    private void awaitReady(String url, Process up) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(up.isAlive()).as("amber up exited: %s", log()).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void stop(Process up) throws Exception {
        if (!up.isAlive()) {
            return;
        }
        up.destroy(); // SIGTERM, as Ctrl-C or systemd would
        assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("amber up did not stop: %s", log()).isTrue();
        assertThat(up.exitValue()).as(log()).isIn(0, 130, 143);
    }

    /** Real curl, as the README shows it. */
    private JsonNode curl(String key, String method, String url, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-X", method, "-H", "X-API-Key: " + key, url));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(output).isZero();
        return JSON.readTree(output);
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("up.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
