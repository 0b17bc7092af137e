package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start, as a new user runs it: `./amber up`, then curl. Then Ctrl-C (SIGTERM)
 * and a restart, after which keys are still there and the sandbox whose VM went away with the
 * process is reported honestly.
 */
class QuickStartTest {

    @TempDir
    Path data;

    @Test
    void upThenCurlRunsPythonAndARestartKeepsEverythingHonest() throws Exception {
        AmberUp up = AmberUp.start(data);
        try {
            String key = up.adminKey();

            JsonNode sandbox = up.curl(key, "POST", "/v1/sandboxes", "{}");
            assertThat(sandbox.path("state").asText()).as(sandbox.toString()).isEqualTo("running");
            String id = sandbox.path("id").asText();
            JsonNode exec = up.curl(key, "POST", "/v1/sandboxes/" + id + "/exec",
                    "{\"cmd\": [\"python3\", \"-c\", \"print(6*7)\"]}");
            assertThat(exec.path("stdout").asText()).isEqualTo("42\n");
            assertThat(exec.path("exitCode").asInt()).isZero();
            up.curl(key, "POST", "/v1/api-keys", "{\"name\": \"survives-restarts\"}");
            String teamKey = up.curl(key, "POST", "/v1/admin/teams", "{\"name\": \"restart-team\"}")
                    .path("apiKey").path("secret").asText();

            up.stop();
            assertThat(Processes.qemusMentioning(data)).as("QEMU processes left behind").isEmpty();
            assertThat(data.resolve("sandboxes").resolve(id)).doesNotExist();

            up.restart();
            JsonNode after = up.curl(key, "GET", "/v1/sandboxes/" + id, null);
            assertThat(after.path("state").asText()).isEqualTo("stopped");
            assertThat(after.path("stateReason").asText()).isNotBlank();
            assertThat(up.curl(key, "GET", "/v1/api-keys", null).findValuesAsText("name")).contains("survives-restarts");
            assertThat(up.curl(teamKey, "GET", "/v1/teams/me", null).path("name").asText()).isEqualTo("restart-team");
        } finally {
            up.stop();
        }
    }
}
