package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start, as a new user runs it: `./amber up`, then curl. Then Ctrl-C (SIGTERM)
 * and a restart, after which keys are still there and the sandbox, paused at the shutdown, resumes
 * with its processes and files.
 */
class QuickStartTest {

    @TempDir
    Path data;

    @Test
    void upThenCurlRunsPythonAndARestartKeepsEverything() throws Exception {
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

            up.curl(key, "POST", "/v1/sandboxes/" + id + "/exec",
                    "{\"shell\": \"echo before > /root/before; nohup sleep 1000 >/dev/null 2>&1 &\"}");

            up.stop();
            assertThat(Processes.qemusMentioning(data)).as("QEMU processes left behind").isEmpty();

            up.restart();
            assertThat(up.curl(key, "GET", "/v1/sandboxes/" + id, null).path("state").asText()).isEqualTo("paused");
            assertThat(up.curl(key, "POST", "/v1/sandboxes/" + id + "/resume", null).path("state").asText())
                    .isEqualTo("running");
            JsonNode kept = up.curl(key, "POST", "/v1/sandboxes/" + id + "/exec",
                    "{\"shell\": \"cat /root/before; pgrep -x sleep >/dev/null && echo sleeping\"}");
            assertThat(kept.path("stdout").asText()).isEqualTo("before\nsleeping\n");
            assertThat(up.curl(key, "GET", "/v1/api-keys", null).findValuesAsText("name")).contains("survives-restarts");
            assertThat(up.curl(teamKey, "GET", "/v1/teams/me", null).path("name").asText()).isEqualTo("restart-team");
        } finally {
            up.stop();
        }
    }
}
