package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.host.Layout;
import dev.amber.host.TestLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox lifecycle on real VMs: asynchronous create, inactivity auto-pause, keep-alive pings,
 * auto-resume (and its refusal), settings changed with PATCH, calls that wait out a transition, and
 * a background start that fails. One sandbox, started without waiting, carries a process counting
 * in memory through every step (it writes its count to /dev/shm, which is RAM too): after a pause
 * the count must go on from where it was. Its timeout is 5 s, so the idle waits stay short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_SEC = 5;
    private static final String COUNTER = "nohup sh -c 'i=0; while :; do i=$((i+1)); echo $i > /dev/shm/count;"
            + " sleep 0.1; done' >/dev/null 2>&1 & until [ -s /dev/shm/count ]; do sleep 0.1; done";

    private TestDeployment amber;
    private Api api;
    private String key;
    private String id;

    @BeforeAll
    void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "lifecycle-users");
    }

    @AfterAll
    void stop() throws Exception {
        amber.close();
    }

    @Test
    @Order(1)
    void asyncCreateAnswersAtOnceAndTheFirstExecWaitsForTheStart() throws Exception {
        JsonNode created = call("POST", "/v1/sandboxes", "{\"wait\":false,\"timeoutSec\":0,\"autoResume\":false}", 201);
        id = created.path("id").asText();
        assertThat(created.path("state").asText()).isEqualTo("creating");
        assertThat(created.path("autoResume").asBoolean()).isFalse();

        shell(COUNTER);

        assertThat(state()).isEqualTo("running");
        assertThat(count()).isPositive();
    }

    @Test
    @Order(2)
    void withAutoResumeOffAnExecOnAPausedSandboxIsRefusedSayingSo() throws Exception {
        call("POST", "/v1/sandboxes/" + id + "/pause", null, 200);

        Api.Response refused = api.call("POST", "/v1/sandboxes/" + id + "/exec", key, "{\"cmd\":[\"true\"]}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.errorMessage()).contains("is paused").contains("autoResume is off").contains("/resume");
        assertThat(state()).isEqualTo("paused");
        call("POST", "/v1/sandboxes/" + id + "/resume", null, 200);
    }

    @Test
    @Order(3)
    void patchRefusesABadTimeoutAndChangesTheSettings() throws Exception {
        Api.Response refused = api.call("PATCH", "/v1/sandboxes/" + id, key, "{\"timeoutSec\":-5}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.errorMessage()).isEqualTo("timeoutSec must be between 0 (never) and 604800, got -5");

        JsonNode updated = call("PATCH", "/v1/sandboxes/" + id,
                "{\"timeoutSec\":" + TIMEOUT_SEC + ",\"autoResume\":true,\"metadata\":{\"test\":\"lifecycle\"}}", 200);

        assertThat(updated.path("timeoutSec").asInt()).isEqualTo(TIMEOUT_SEC);
        assertThat(updated.path("autoResume").asBoolean()).isTrue();
        assertThat(updated.path("metadata").path("test").asText()).isEqualTo("lifecycle");
    }

    @Test
    @Order(4)
    void anIdleSandboxIsPausedAfterItsTimeoutAndTheNextExecsResumeItOnceWithMemoryIntact() throws Exception {
        long beforeIdle = count();
        long idleSince = System.nanoTime();

        JsonNode paused = awaitState("paused", Duration.ofSeconds(30));

        long idleSeconds = Duration.ofNanos(System.nanoTime() - idleSince).toSeconds();
        System.out.println("auto-paused after " + idleSeconds + " s idle: " + paused.path("stateReason").asText());
        assertThat(idleSeconds).as("not before the timeout").isGreaterThanOrEqualTo(TIMEOUT_SEC - 1);
        assertThat(paused.path("stateReason").asText()).isEqualTo("paused after " + TIMEOUT_SEC + " s without activity");
        assertThat(Processes.qemuOf(sandboxDir())).as("no QEMU runs for a paused sandbox").isEmpty();

        List<CompletableFuture<Long>> concurrent = IntStream.range(0, 3).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return count();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).toList();

        for (CompletableFuture<Long> afterResume : concurrent) {
            assertThat(afterResume.get()).as("each exec resumed or waited for the one resume, and the counter went on "
                    + "from where it was").isGreaterThanOrEqualTo(beforeIdle);
        }
        assertThat(state()).isEqualTo("running");
        assertCounting(concurrent.getFirst().get());
    }

    /** Twelve seconds: more than twice the timeout, so without the pings it would have been paused. */
    @Test
    @Order(5)
    void pingsEveryTwoSecondsKeepItRunning() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(call("POST", "/v1/sandboxes/" + id + "/ping", null, 200).path("state").asText())
                    .as("after " + (2 * i) + " s of pings").isEqualTo("running");
            Thread.sleep(2_000);
        }
        assertThat(state()).isEqualTo("running");
    }

    @Test
    @Order(6)
    void anExecDuringAPauseWaitsForItAndResumesTheSandbox() throws Exception {
        long before = count();
        CompletableFuture<Api.Response> pause = CompletableFuture.supplyAsync(() -> {
            try {
                return api.call("POST", "/v1/sandboxes/" + id + "/pause", key, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String seen = state();
        while (seen.equals("running") && !pause.isDone()) {
            Thread.sleep(10);
            seen = state();
        }
        System.out.println("exec issued while the sandbox was " + seen);

        long during = count();

        assertThat(pause.get().status()).as(pause.get().body()).isEqualTo(200);
        assertThat(during).isGreaterThanOrEqualTo(before);
        assertThat(state()).isEqualTo("running");
    }

    @Test
    @Order(7)
    void aStartThatFailsInTheBackgroundEndsInErrorWithTheReasonAndCanBeDeleted() throws Exception {
        String checkpoint = call("POST", "/v1/sandboxes/" + id + "/checkpoints", null, 201).path("snapshotId").asText();
        Layout.SnapshotPaths files = TestLayout.withData(amber.data()).snapshot(checkpoint);
        try (RandomAccessFile device = new RandomAccessFile(files.deviceState().toFile(), "rw")) {
            device.seek(100);
            int original = device.read();
            device.seek(100);
            device.write(original ^ 0xff);
        }

        JsonNode created = call("POST", "/v1/sandboxes", "{\"wait\":false,\"snapshotId\":\"" + checkpoint + "\"}", 201);
        String broken = created.path("id").asText();
        assertThat(created.path("state").asText()).isEqualTo("creating");
        Api.Response exec = api.call("POST", "/v1/sandboxes/" + broken + "/exec", key, "{\"cmd\":[\"true\"]}");

        assertThat(exec.status()).as("the exec waited for the start, which failed: " + exec.body()).isEqualTo(409);
        JsonNode failed = call("GET", "/v1/sandboxes/" + broken, null, 200);
        assertThat(failed.path("state").asText()).isEqualTo("error");
        assertThat(failed.path("stateReason").asText()).contains("damaged");
        assertThat(api.call("DELETE", "/v1/sandboxes/" + broken, key, null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/sandboxes/" + broken, null, 200).path("state").asText()).isEqualTo("stopped");
    }

    // ---- helpers ----

    private JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        Api.Response response = api.call(method, path, key, body);
        assertThat(response.status()).as(method + " " + path + " -> " + response.body()).isEqualTo(expectedStatus);
        return response.json();
    }

    private String shell(String script) throws Exception {
        JsonNode result = call("POST", "/v1/sandboxes/" + id + "/exec", JSON.writeValueAsString(Map.of("shell", script)),
                200);
        assertThat(result.path("exitCode").asInt()).as(script + ": " + result.path("stderr").asText()).isZero();
        return result.path("stdout").asText();
    }

    private long count() throws Exception {
        return Long.parseLong(shell("cat /dev/shm/count").strip());
    }

    /** The counter process is alive: it moves on from {@code from}. */
    private void assertCounting(long from) throws Exception {
        Thread.sleep(500);
        assertThat(count()).as("still counting").isGreaterThan(from);
    }

    /** GET is no activity: polling it leaves the sandbox idle. */
    private String state() throws Exception {
        return call("GET", "/v1/sandboxes/" + id, null, 200).path("state").asText();
    }

    private JsonNode awaitState(String state, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode sandbox = call("GET", "/v1/sandboxes/" + id, null, 200);
        while (!sandbox.path("state").asText().equals(state)) {
            assertThat(System.nanoTime()).as("still " + sandbox.path("state").asText() + " after " + limit)
                    .isLessThan(deadline);
            Thread.sleep(250);
            sandbox = call("GET", "/v1/sandboxes/" + id, null, 200);
        }
        return sandbox;
    }

    private Path sandboxDir() {
        return amber.data().resolve("sandboxes").resolve(id);
    }
}
