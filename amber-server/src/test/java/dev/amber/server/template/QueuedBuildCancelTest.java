package dev.amber.server.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A build cancelled while it waits in the queue ends at once, every step skipped. Here the one worker
 * is held by a first build that waits for a host (this server has none), so the second stays queued.
 */
class QueuedBuildCancelTest {

    private static ServerFixture server;

    @BeforeAll
    static void start() throws IOException {
        server = ServerFixture.start((id, address) -> {
            throw new IOException("this test server connects to no host");
        }, ServerSettings.forTests().withBuildWorkers(1));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void aQueuedBuildCancelledEndsAtOnceWithEveryStepSkipped() throws Exception {
        String key = server.newTeamKey("queued-builds");
        assertThat(server.call("POST", "/v1/templates", key, "{\"name\":\"first\",\"steps\":[{\"type\":\"run\",\"cmd\":\"true\"}]}")
                .status()).isEqualTo(202);
        ServerFixture.Response queued = server.call("POST", "/v1/templates", key,
                "{\"name\":\"waits\",\"steps\":[{\"type\":\"run\",\"cmd\":\"true\"},{\"type\":\"env\",\"env\":{\"A\":\"1\"}}]}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        String buildId = queued.json().path("buildId").asText();

        ServerFixture.Response cancelled = server.call("POST", "/v1/builds/" + buildId + "/cancel", key, null);

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asText()).as("cancelled while queued").isEqualTo("cancelled");
        JsonNode build = server.call("GET", "/v1/builds/" + buildId, key, null).json();
        assertThat(build.path("status").asText()).isEqualTo("cancelled");
        assertThat(build.path("steps").findValuesAsText("status")).containsExactly("skipped", "skipped", "skipped");
        assertThat(build.path("steps").findValuesAsText("type")).containsExactly("run", "env", "ready");
        assertThat(server.call("GET", "/v1/templates/waits", key, null).json().path("stateReason").asText())
                .isEqualTo("its first build was cancelled");
    }
}
