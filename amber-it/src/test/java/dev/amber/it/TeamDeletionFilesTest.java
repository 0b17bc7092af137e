package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a team on real VMs: a team with a running sandbox, a snapshot of it and a template built
 * from a recipe (its layers) is deleted by the admin, and no file named for any of them is left
 * under the deployment's data directory.
 */
class TeamDeletionFilesTest {

    private static TestDeployment amber;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
    }

    @AfterAll
    static void stop() {
        if (amber != null) {
            amber.stop();
        }
    }

    @Test
    void aDeletedTeamLeavesNoFileOfItsSandboxesSnapshotsOrTemplatesOnTheHost() throws Exception {
        String admin = amber.adminKey();
        String key = api.newTeam(admin, "doomed");
        String team = call("GET", "/v1/teams/me", key, null, 200).path("id").asText();
        String build = call("POST", "/v1/templates", key, "{\"name\":\"doomed-tools\",\"steps\":"
                + "[{\"type\":\"run\",\"cmd\":\"echo doomed > /opt/doomed.txt\"}]}", 202).path("buildId").asText();
        JsonNode ended = await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> call("GET", "/v1/builds/" + build, key, null, 200),
                        view -> !view.path("status").asText().matches("queued|running"));
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("succeeded");
        String sandbox = call("POST", "/v1/sandboxes", key, "{}", 201).path("id").asText();
        call("POST", "/v1/sandboxes/" + sandbox + "/exec", key, "{\"shell\":\"echo mine > /root/mine.txt\"}", 200);
        call("POST", "/v1/sandboxes/" + sandbox + "/snapshots", key, "{\"name\":\"doomed-snap\"}", 201);

        List<String> ids = new ArrayList<>(List.of(sandbox));
        call("GET", "/v1/snapshots?pageSize=500", key, null, 200).path("items")
                .forEach(snapshot -> ids.add(snapshot.path("snapshotId").asText()));
        assertThat(ids).as("a sandbox, its snapshot and the build's layers").hasSizeGreaterThanOrEqualTo(3)
                .allMatch(id -> id.matches("(sb|snap)-[0-9a-f-]{36}"));
        assertThat(filesNamedFor(ids)).as("the check sees the team's files while it exists").isNotEmpty();

        Api.Response deleted = api.call("DELETE", "/v1/admin/teams/" + team, admin, null);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(filesNamedFor(ids)).isEmpty();
        assertThat(api.call("GET", "/v1/teams/me", key, null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/hosts", admin, null, 200).path("items").get(0).path("sandboxes").asInt()).isZero();
    }

    /** Paths under the data directory whose name holds one of {@code ids} (without its prefix, as some files use). */
    private static List<Path> filesNamedFor(List<String> ids) throws IOException {
        List<String> uuids = ids.stream().map(id -> id.substring(id.indexOf('-') + 1)).toList();
        try (Stream<Path> paths = Files.walk(amber.data())) {
            return paths.filter(path -> uuids.stream().anyMatch(path.getFileName().toString()::contains)).toList();
        }
    }

    private static JsonNode call(String method, String path, String key, String body, int expectedStatus)
            throws Exception {
        return api.expect(method, path, key, body, expectedStatus);
    }
}
