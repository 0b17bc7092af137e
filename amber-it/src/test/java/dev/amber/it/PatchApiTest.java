package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Patches through the public API on real VMs, in the scenario of the architecture notes: snapshot
 * S, sandboxes s1 and s2 from S, checkpoint C of s1, s3 from C; patches of S reach s1 and s2 when
 * they wake (each patch once), never s3; a failing patch is shown on the sandbox, which keeps
 * running, and is tried again at its next wake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatchApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLIED = "cat /root/patches 2>/dev/null; true";

    private TestDeployment amber;
    private Api api;
    private String key;
    private final List<String> sandboxes = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "patch-users");
    }

    @AfterAll
    void stop() throws Exception {
        for (String sandbox : sandboxes.reversed()) {
            api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null);
        }
        amber.close();
    }

    @Test
    void patchesReachTheSandboxesBasedOnTheSnapshotOnceEachWhenTheyWakeAndNotThoseOfACheckpoint() throws Exception {
        String origin = create("{}");
        shell(origin, "echo base > /root/origin");
        String snapshot = call("POST", "/v1/sandboxes/" + origin + "/snapshots", "{\"name\":\"patched\"}", 201)
                .path("snapshotId").asText();
        String s1 = create("{\"snapshotId\":\"patched\"}");
        String s2 = create("{\"snapshotId\":\"patched\"}");
        String checkpoint = call("POST", "/v1/sandboxes/" + s1 + "/checkpoints", null, 201).path("snapshotId").asText();
        String s3 = create("{\"snapshotId\":\"" + checkpoint + "\"}");
        for (String sandbox : List.of(s1, s2, s3)) {
            call("POST", "/v1/sandboxes/" + sandbox + "/pause", null, 200);
        }

        JsonNode first = call("POST", "/v1/snapshots/patched/patches", patch("echo one >> /root/patches"), 201);
        assertThat(first.path("sequence").asInt()).isEqualTo(1);
        for (String sandbox : List.of(s1, s2, s3)) {
            call("POST", "/v1/sandboxes/" + sandbox + "/resume", null, 200);
        }
        assertThat(shell(s1, APPLIED)).isEqualTo("one\n");
        assertThat(shell(s2, APPLIED)).isEqualTo("one\n");
        assertThat(shell(s3, APPLIED)).as("based on the checkpoint, not on the patched snapshot").isEmpty();
        assertThat(sandbox(s1).path("lastPatchSequence").asInt()).isEqualTo(1);
        assertThat(sandbox(s3).path("lastPatchSequence").isNull()).isTrue();

        call("POST", "/v1/snapshots/" + snapshot + "/patches", patch("echo two >> /root/patches"), 201);
        call("POST", "/v1/sandboxes/" + s1 + "/pause", null, 200);
        call("POST", "/v1/sandboxes/" + s1 + "/resume", null, 200);
        assertThat(shell(s1, APPLIED)).as("only the new patch applied").isEqualTo("one\ntwo\n");
        assertThat(shell(s2, APPLIED)).as("not woken since").isEqualTo("one\n");
        String s4 = create("{\"snapshotId\":\"patched\"}");
        assertThat(shell(s4, APPLIED + "; cat /root/origin")).isEqualTo("one\ntwo\nbase\n");
        assertThat(sandbox(s4).path("lastPatchSequence").asInt()).isEqualTo(2);
        assertThat(call("GET", "/v1/snapshots/patched/patches", null, 200).findValuesAsText("script"))
                .containsExactly("echo one >> /root/patches", "echo two >> /root/patches");
    }

    @Test
    void aFailingPatchIsShownOnTheSandboxAndTriedAgainAtItsNextWake() throws Exception {
        String origin = create("{}");
        call("POST", "/v1/sandboxes/" + origin + "/snapshots", "{\"name\":\"fragile\"}", 201);
        String sandbox = create("{\"snapshotId\":\"fragile\"}");
        call("POST", "/v1/snapshots/fragile/patches", patch("test -e /root/fixed || { echo not yet >&2; exit 4; }"), 201);
        call("POST", "/v1/snapshots/fragile/patches", patch("echo after >> /root/patches"), 201);

        call("POST", "/v1/sandboxes/" + sandbox + "/pause", null, 200);
        JsonNode resumed = call("POST", "/v1/sandboxes/" + sandbox + "/resume", null, 200);
        JsonNode failed = sandbox(sandbox);
        assertThat(resumed.path("state").asText()).isEqualTo("running");
        assertThat(failed.path("patchError").asText()).isEqualTo("patch 1 exited with 4: not yet");
        assertThat(failed.path("lastPatchSequence").isNull()).isTrue();
        assertThat(shell(sandbox, APPLIED)).as("the later patch waits").isEmpty();

        shell(sandbox, "touch /root/fixed");
        call("POST", "/v1/sandboxes/" + sandbox + "/pause", null, 200);
        call("POST", "/v1/sandboxes/" + sandbox + "/resume", null, 200);
        JsonNode fixed = sandbox(sandbox);
        assertThat(fixed.has("patchError")).isFalse();
        assertThat(fixed.path("lastPatchSequence").asInt()).isEqualTo(2);
        assertThat(shell(sandbox, APPLIED)).isEqualTo("after\n");
    }

    @Test
    void patchesAreRefusedWithClearErrors() throws Exception {
        String origin = create("{}");
        call("POST", "/v1/sandboxes/" + origin + "/snapshots", "{\"name\":\"guarded\"}", 201);
        String other = api.newTeam(amber.adminKey(), "patch-strangers");

        assertThat(api.call("POST", "/v1/snapshots/guarded/patches", key, patch(" ")).status()).isEqualTo(400);
        assertThat(api.call("POST", "/v1/snapshots/guarded/patches", other, patch("true")).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/snapshots/guarded/patches/7", key, null).status()).isEqualTo(404);
        call("POST", "/v1/snapshots/guarded/patches", patch("true"), 201);
        assertThat(api.call("DELETE", "/v1/snapshots/guarded/patches/1", key, null).status()).isEqualTo(204);
        assertThat(call("POST", "/v1/snapshots/guarded/patches", patch("true"), 201).path("sequence").asInt())
                .as("a number is never given twice").isEqualTo(2);
    }

    private String create(String body) throws Exception {
        String id = call("POST", "/v1/sandboxes", body, 201).path("id").asText();
        sandboxes.add(id);
        return id;
    }

    private JsonNode sandbox(String id) throws Exception {
        return call("GET", "/v1/sandboxes/" + id, null, 200);
    }

    private static String patch(String script) throws Exception {
        return JSON.writeValueAsString(Map.of("script", script));
    }

    private String shell(String sandbox, String script) throws Exception {
        JsonNode result = call("POST", "/v1/sandboxes/" + sandbox + "/exec",
                JSON.writeValueAsString(Map.of("shell", script)), 200);
        assertThat(result.path("exitCode").asInt()).as(script + ": " + result.path("stderr").asText()).isZero();
        return result.path("stdout").asText();
    }

    private JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        Api.Response response = api.call(method, path, key, body);
        assertThat(response.status()).as(method + " " + path + " -> " + response.body()).isEqualTo(expectedStatus);
        return response.json();
    }
}
