package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `amber up` killed with SIGKILL in the middle of a pause and of a snapshot, then started again:
 * every sandbox and snapshot ends up in a state that tells the truth (never stuck in a
 * transitional one), a paused sandbox resumes with its data, and once the user deletes what is
 * left, no file and no QEMU remains.
 */
class CrashSafetyTest {

    private static final Set<String> SETTLED = Set.of("running", "paused", "stopped", "error");

    @TempDir
    Path data;

    @Test
    void aKillDuringAPauseOrASnapshotLeavesHonestStatesAndNoOrphans() throws Exception {
        AmberUp up = AmberUp.start(data);
        try {
            String key = up.adminKey();
            String paused = createWithAFile(up, key);
            killDuring(up, () -> up.curl(key, "POST", "/v1/sandboxes/" + paused + "/pause", null));
            up.restart();
            JsonNode afterPause = awaitSettled(up, key, paused);
            System.out.println("killed during a pause: " + afterPause.path("state").asText() + " ("
                    + afterPause.path("stateReason").asText() + ")");
            if (afterPause.path("state").asText().equals("paused")) {
                up.curl(key, "POST", "/v1/sandboxes/" + paused + "/resume", null);
                assertThat(fileOf(up, key, paused)).isEqualTo("kept\n");
            } else {
                assertThat(afterPause.path("stateReason").asText()).as(afterPause.toString()).isNotBlank();
            }

            String snapshotted = createWithAFile(up, key);
            killDuring(up, () -> up.curl(key, "POST", "/v1/sandboxes/" + snapshotted + "/snapshots", "{\"name\":\"crash\"}"));
            up.restart();
            awaitSettled(up, key, snapshotted);
            JsonNode snapshot = up.curl(key, "GET", "/v1/snapshots/crash", null);
            System.out.println("killed during a snapshot: " + snapshot);
            assertThat(snapshot.path("state").asText()).as(snapshot.toString()).isIn("ready", "failed", "");

            for (String id : List.of(paused, snapshotted)) {
                up.curl(key, "DELETE", "/v1/sandboxes/" + id, null);
            }
            if (snapshot.has("snapshotId")) {
                up.curl(key, "DELETE", "/v1/snapshots/crash", null);
            }
            assertThat(entries(data.resolve("sandboxes"))).as("sandbox files left").isEmpty();
            assertThat(entries(data.resolve("snapshots"))).as("snapshot files left").isEmpty();
            assertThat(new DeploymentInvariants(data).unaccountedQemus(Set.of())).as("QEMUs left").isEmpty();
        } finally {
            up.cleanUp();
        }
    }

    @Test
    void aKillDuringABuildEndsItFailedOrCompletedAfterTheRestartNeverStuck() throws Exception {
        AmberUp up = AmberUp.start(data);
        try {
            String key = up.adminKey();
            String recipe = "{\"name\":\"slow\",\"steps\":[{\"type\":\"run\",\"cmd\":\"echo one > /root/one\"},"
                    + "{\"type\":\"run\",\"cmd\":\"sleep 5; echo two > /root/two\"}]}";
            String build = up.curl(key, "POST", "/v1/templates", recipe).path("buildId").asText();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode running = up.curl(key, "GET", "/v1/builds/" + build, null);
                assertThat(running.path("status").asText()).as("the build ended before its kill: %s", running)
                        .isIn("queued", "running");
                return running.path("steps").get(1).path("status").asText().equals("running");
            });
            up.kill();
            up.restart();

            JsonNode ended = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> up.curl(key, "GET", "/v1/builds/" + build, null),
                            b -> !b.path("status").asText().matches("queued|running"));
            System.out.println("killed during a build: " + ended.path("status").asText() + " after "
                    + ended.path("attempts").asInt() + " attempts, steps " + ended.path("steps").findValuesAsText("status")
                    + " " + ended.path("error").asText(""));
            assertThat(ended.path("status").asText()).as(ended.toString()).isIn("succeeded", "failed");
            if (ended.path("status").asText().equals("succeeded")) {
                assertThat(ended.path("attempts").asInt()).isEqualTo(2);
                String sandbox = up.curl(key, "POST", "/v1/sandboxes", "{\"template\":\"slow\"}").path("id").asText();
                assertThat(up.curl(key, "POST", "/v1/sandboxes/" + sandbox + "/exec", "{\"shell\": \"cat /root/one /root/two\"}")
                        .path("stdout").asText()).isEqualTo("one\ntwo\n");
            }
        } finally {
            up.cleanUp();
        }
    }

    private static String createWithAFile(AmberUp up, String key) throws Exception {
        String id = up.curl(key, "POST", "/v1/sandboxes", "{}").path("id").asText();
        up.curl(key, "POST", "/v1/sandboxes/" + id + "/exec", "{\"shell\": \"echo kept > /root/kept; sync\"}");
        return id;
    }

    private static String fileOf(AmberUp up, String key, String id) throws Exception {
        return up.curl(key, "POST", "/v1/sandboxes/" + id + "/exec", "{\"cmd\": [\"cat\", \"/root/kept\"]}")
                .path("stdout").asText();
    }

    /** Starts {@code call} and kills the server while it runs (or just after, if it is quicker). */
    private static void killDuring(AmberUp up, Call call) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        CompletableFuture<Void> inFlight = CompletableFuture.runAsync(() -> {
            try {
                call.run();
            } catch (Exception | AssertionError e) {
                failure.set(new Exception(e)); // the connection breaks when the server dies
            }
        });
        Thread.sleep(150);
        up.kill();
        inFlight.get();
    }

    private static JsonNode awaitSettled(AmberUp up, String key, String id) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last.set(up.curl(key, "GET", "/v1/sandboxes/" + id, null));
            assertThat(last.get().path("state").asText()).as(last.get().toString()).isIn(SETTLED);
        });
        return last.get();
    }

    private static List<Path> entries(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }
}
