package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.host.Layout;
import dev.amber.host.TestLayout;
import dev.amber.host.snapshot.ManifestRewrites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pause, resume, checkpoints, rollback, forks and named snapshots through the public HTTP API on
 * real VMs. One source sandbox, booted once, carries a process counting in memory through every
 * step: after each one the count must go on from where it was saved, and files must be exactly
 * as they were at the save. The named-snapshot test has a sandbox of its own, so that it can
 * delete everything that uses its snapshot and see its files go. Forks and snapshot-made sandboxes are restores (well
 * under the cost of a boot), and each test deletes the ones it made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COUNTER = "nohup sh -c 'i=0; while :; do i=$((i+1)); echo $i > /dev/shm/count;"
            + " sleep 0.1; done' >/dev/null 2>&1 &";
    private static final String RANDOM = "head -c 32 /dev/urandom | od -x";

    private TestDeployment amber;
    private Api api;
    private String key;
    private String source;
    private String deletedCheckpoint;

    @BeforeAll
    void bootSourceWithACounter() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "snapshot-users");
        source = call("POST", "/v1/sandboxes", "{\"metadata\":{\"role\":\"source\"}}", 201).path("id").asText();
        shell(source, COUNTER + " echo saved > /root/marker");
        while (count(source) < 5) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stop() throws Exception {
        amber.close();
    }

    @Test
    @Order(1)
    void pauseAndResumeContinueEveryProcessAndKeepFiles() throws Exception {
        shell(source, "echo before-pause > /root/paused.txt");
        long atPause = count(source);

        assertThat(call("POST", "/v1/sandboxes/" + source + "/pause", null, 200).path("state").asText()).isEqualTo("paused");
        assertThat(call("GET", "/v1/sandboxes/" + source, null, 200).path("state").asText()).isEqualTo("paused");
        assertConflict(api.call("POST", "/v1/sandboxes/" + source + "/pause", key, null), "is paused");
        assertThat(call("POST", "/v1/sandboxes/" + source + "/resume", null, 200).path("state").asText())
                .isEqualTo("running");
        assertConflict(api.call("POST", "/v1/sandboxes/" + source + "/resume", key, null), "is running");

        long afterResume = count(source);
        assertThat(afterResume).as("the counter went on from where it was paused").isGreaterThanOrEqualTo(atPause);
        assertThat(shell(source, "cat /root/paused.txt /root/marker")).isEqualTo("before-pause\nsaved\n");
        assertCounting(source, afterResume);
    }

    @Test
    @Order(2)
    void tenPauseResumeCyclesKeepEveryWrite() throws Exception {
        for (int i = 1; i <= 10; i++) {
            shell(source, "echo " + i + " >> /root/cycles.txt");
            call("POST", "/v1/sandboxes/" + source + "/pause", null, 200);
            call("POST", "/v1/sandboxes/" + source + "/resume", null, 200);
        }

        assertThat(shell(source, "cat /root/cycles.txt"))
                .isEqualTo(IntStream.rangeClosed(1, 10).mapToObj(i -> i + "\n").reduce("", String::concat));
        assertCounting(source, count(source));
    }

    @Test
    @Order(3)
    void rollbackPutsTheSameSandboxBackToItsCheckpoint() throws Exception {
        shell(source, "echo at-checkpoint > /root/rollback.txt");
        long beforeCheckpoint = count(source); // the checkpoint holds this count or a later one
        JsonNode checkpoint = call("POST", "/v1/sandboxes/" + source + "/checkpoints", null, 201);
        String id = checkpoint.path("snapshotId").asText();
        assertThat(checkpoint.path("kind").asText()).isEqualTo("checkpoint");
        assertThat(checkpoint.path("state").asText()).isEqualTo("ready");
        assertThat(checkpoint.path("sandboxId").asText()).isEqualTo(source);
        assertThat(checkpoint.path("pauseWindowMs").isNumber()).isTrue();
        assertThat(checkpoint.path("name").isNull()).isTrue();
        assertThat(call("GET", "/v1/sandboxes/" + source + "/checkpoints", null, 200).path("items")
                .findValuesAsText("snapshotId")).contains(id);
        shell(source, "echo after-checkpoint > /root/rollback.txt; echo later > /root/later.txt");

        JsonNode rolledBack = call("POST", "/v1/sandboxes/" + source + "/checkpoints/" + id + "/restore", null, 200);

        assertThat(rolledBack.path("id").asText()).isEqualTo(source);
        assertThat(rolledBack.path("state").asText()).isEqualTo("running");
        assertThat(rolledBack.path("basedOn").asText()).isEqualTo(id);
        assertThat(shell(source, "cat /root/rollback.txt; ls /root/later.txt 2>/dev/null || echo absent"))
                .isEqualTo("at-checkpoint\nabsent\n");
        long afterRollback = count(source);
        assertThat(afterRollback).as("counting on from the checkpoint").isGreaterThanOrEqualTo(beforeCheckpoint);
        assertCounting(source, afterRollback);

        shell(source, "echo after-again > /root/rollback.txt");
        call("POST", "/v1/sandboxes/" + source + "/pause", null, 200);
        assertThat(call("POST", "/v1/sandboxes/" + source + "/checkpoints/" + id + "/restore", null, 200)
                .path("state").asText()).as("a paused sandbox rolls back too").isEqualTo("running");
        assertThat(shell(source, "cat /root/rollback.txt")).isEqualTo("at-checkpoint\n");
        assertCounting(source, count(source));

        assertThat(api.call("DELETE", "/v1/snapshots/" + id, key, null).status())
                .as("deleted right after rolling back to it, its layer under the sandbox's").isEqualTo(204);
        assertThat(api.call("GET", "/v1/snapshots/" + id, key, null).status()).isEqualTo(404);
        assertThat(snapshotsOf(source)).doesNotContain(id);
        assertThat(api.call("POST", "/v1/sandboxes/" + source + "/checkpoints/" + id + "/restore", key, null).status())
                .isEqualTo(404);
        assertThat(shell(source, "cat /root/rollback.txt /root/marker")).as("the sandbox keeps its files")
                .isEqualTo("at-checkpoint\nsaved\n");
        assertCounting(source, count(source));
        deletedCheckpoint = id;
    }

    /** Four copies, as the acceptance asks: each is a restore of the fork's checkpoint (about a second under TCG). */
    @Test
    @Order(4)
    void forkMakesIndependentRunningCopiesWithMemoryIntact() throws Exception {
        shell(source, "echo from-source > /root/fork.txt");
        long atFork = count(source);

        JsonNode forked = call("POST", "/v1/sandboxes/" + source + "/fork", "{\"count\":4}", 201);

        String checkpoint = forked.path("checkpoint").path("snapshotId").asText();
        assertThat(forked.path("checkpoint").path("kind").asText()).isEqualTo("checkpoint");
        assertThat(forked.path("checkpoint").path("sandboxId").asText()).isEqualTo(source);
        List<String> forks = forked.path("sandboxes").findValuesAsText("id");
        assertThat(forks).hasSize(4).doesNotHaveDuplicates().doesNotContain(source);
        for (JsonNode fork : forked.path("sandboxes")) {
            assertThat(fork.path("state").asText()).isEqualTo("running");
            assertThat(fork.path("snapshotId").asText()).isEqualTo(checkpoint);
            assertThat(fork.path("basedOn").asText()).isEqualTo(checkpoint);
            assertThat(fork.path("metadata").path("role").asText()).isEqualTo("source");
        }
        for (String fork : forks) {
            assertThat(shell(fork, "cat /root/fork.txt")).isEqualTo("from-source\n");
            long count = count(fork);
            assertThat(count).as("the source's counter, carried on").isGreaterThanOrEqualTo(atFork - 20);
            assertCounting(fork, count);
        }
        List<String> randomBytes = new ArrayList<>();
        for (String fork : forks) {
            randomBytes.add(shell(fork, RANDOM));
        }
        assertThat(randomBytes).as("every fork has its own entropy").doesNotHaveDuplicates();
        shell(forks.get(0), "echo only-here > /root/only.txt");
        String absent = "cat /root/only.txt 2>/dev/null || echo absent";
        for (String other : forks.subList(1, forks.size())) {
            assertThat(shell(other, absent)).isEqualTo("absent\n");
        }
        assertThat(shell(source, absent)).isEqualTo("absent\n");
        assertCounting(source, count(source));

        for (String fork : forks) {
            assertThat(api.call("DELETE", "/v1/sandboxes/" + fork, key, null).status()).isEqualTo(204);
        }
        assertThat(call("GET", "/v1/snapshots/" + checkpoint, null, 200).path("state").asText())
                .as("the source's disk now builds on the fork's checkpoint").isEqualTo("ready");
    }

    @Test
    @Order(5)
    void namedSnapshotStartsNewSandboxesAndIsDeletableWhileTheyRun() throws Exception {
        String owner = call("POST", "/v1/sandboxes", "{}", 201).path("id").asText();
        shell(owner, COUNTER + " until [ -s /dev/shm/count ]; do sleep 0.1; done");
        String ownersCheckpoint = call("POST", "/v1/sandboxes/" + owner + "/checkpoints", "", 201)
                .path("snapshotId").asText();
        shell(owner, "echo in-snapshot > /root/snapshot.txt");

        JsonNode snapshot = call("POST", "/v1/sandboxes/" + owner + "/snapshots", "{\"name\":\"it-snapshot\"}", 201);
        String id = snapshot.path("snapshotId").asText();
        assertThat(snapshot.path("kind").asText()).isEqualTo("snapshot");
        assertThat(snapshot.path("name").asText()).isEqualTo("it-snapshot");
        assertThat(snapshot.path("state").asText()).isEqualTo("ready");
        assertThat(snapshot.path("sandboxId").asText()).isEqualTo(owner);
        assertConflict(api.call("POST", "/v1/sandboxes/" + owner + "/snapshots", key, "{\"name\":\"it-snapshot\"}"),
                "exists already");
        assertThat(call("GET", "/v1/snapshots/it-snapshot", null, 200).path("snapshotId").asText()).isEqualTo(id);
        assertThat(call("GET", "/v1/snapshots?kind=snapshot", null, 200).path("items").findValuesAsText("snapshotId"))
                .containsExactly(id);

        JsonNode made = call("POST", "/v1/sandboxes", "{\"snapshotId\":\"it-snapshot\"}", 201);
        String derived = made.path("id").asText();
        assertThat(made.path("snapshotId").asText()).isEqualTo(id);
        assertThat(made.path("basedOn").asText()).isEqualTo(id);
        assertThat(made.path("vcpus").asInt()).isEqualTo(snapshot.path("vcpus").asInt());
        assertThat(made.path("memoryMb").asInt()).isEqualTo(snapshot.path("memoryMb").asInt());
        assertThat(shell(derived, "cat /root/snapshot.txt")).isEqualTo("in-snapshot\n");
        assertCounting(derived, count(derived));

        assertThat(api.call("DELETE", "/v1/snapshots/it-snapshot", key, null).status())
                .as("while its source and a sandbox made from it run on it").isEqualTo(204);

        assertThat(api.call("GET", "/v1/snapshots/" + id, key, null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/snapshots/it-snapshot", key, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/snapshots?kind=snapshot", null, 200).path("items")).isEmpty();
        assertThat(api.call("POST", "/v1/sandboxes", key, "{\"snapshotId\":\"" + id + "\"}").status())
                .as("nothing new starts from it").isEqualTo(404);
        assertThat(shell(derived, "cat /root/snapshot.txt")).isEqualTo("in-snapshot\n");
        assertCounting(derived, count(derived));
        call("POST", "/v1/sandboxes/" + owner + "/pause", null, 200);
        call("POST", "/v1/sandboxes/" + owner + "/resume", null, 200);
        assertThat(shell(owner, "cat /root/snapshot.txt")).as("the source, paused and resumed").isEqualTo("in-snapshot\n");
        call("POST", "/v1/sandboxes/" + owner + "/checkpoints", null, 201);
        JsonNode forked = call("POST", "/v1/sandboxes/" + owner + "/fork", null, 201);
        String fork = forked.path("sandboxes").get(0).path("id").asText();
        assertThat(shell(fork, "cat /root/snapshot.txt")).as("a fork of the source").isEqualTo("in-snapshot\n");
        assertCounting(owner, count(owner));
        Layout snapshotFiles = TestLayout.withData(amber.data());
        assertThat(snapshotFiles.snapshot(id).dir()).as("kept while sandboxes sit on it").isDirectory();

        for (String sandbox : List.of(fork, derived, owner)) {
            assertThat(api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null).status()).isEqualTo(204);
        }

        assertThat(snapshotsOf(owner)).as("the owner's checkpoints, no longer needed, went with it").isEmpty();
        for (String gone : List.of(id, ownersCheckpoint)) {
            assertThat(snapshotFiles.snapshot(gone).dir()).as("files of " + gone + " after its last user").doesNotExist();
        }
    }

    @Test
    @Order(6)
    void anotherTeamSeesNoneOfIt() throws Exception {
        String other = api.newTeam(amber.adminKey(), "snapshot-outsiders");
        String checkpoint = snapshotsOf(source).getFirst();

        assertThat(api.call("GET", "/v1/snapshots", other, null).json().path("items")).isEmpty();
        assertThat(api.call("GET", "/v1/snapshots?sandboxId=" + source, other, null).json().path("items")).isEmpty();
        assertThat(api.call("GET", "/v1/snapshots/" + checkpoint, other, null).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/snapshots/" + checkpoint, other, null).status()).isEqualTo(404);
        assertThat(api.call("POST", "/v1/sandboxes", other, "{\"snapshotId\":\"" + checkpoint + "\"}").status())
                .isEqualTo(404);
        assertThat(call("GET", "/v1/snapshots/" + checkpoint, null, 200).path("state").asText()).isEqualTo("ready");
    }

    @Test
    @Order(7)
    void aDamagedSnapshotStartsNothing() throws Exception {
        String checkpoint = call("POST", "/v1/sandboxes/" + source + "/checkpoints", null, 201)
                .path("snapshotId").asText();
        Layout.SnapshotPaths files = TestLayout.withData(amber.data()).snapshot(checkpoint);
        try (RandomAccessFile device = new RandomAccessFile(files.deviceState().toFile(), "rw")) {
            device.seek(100);
            int original = device.read();
            device.seek(100);
            device.write(original ^ 0xff);
        }
        int sandboxes = call("GET", "/v1/sandboxes?state=all&pageSize=500", null, 200).path("items").size();

        Api.Response refused = api.call("POST", "/v1/sandboxes", key, "{\"snapshotId\":\"" + checkpoint + "\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.errorMessage()).contains("damaged").contains("nothing was started");
        assertThat(call("GET", "/v1/sandboxes?state=all&pageSize=500", null, 200).path("items").size()).isEqualTo(sandboxes);
    }

    @Test
    @Order(8)
    void aSnapshotOfAMachineTypeItsHostsQemuLacksIsRefusedNamingIt() throws Exception {
        String checkpoint = call("POST", "/v1/sandboxes/" + source + "/checkpoints", null, 201)
                .path("snapshotId").asText();
        ManifestRewrites.rewrite(TestLayout.withData(amber.data()).snapshot(checkpoint),
                manifest -> ManifestRewrites.madeOnMachineType(manifest, "pc-q35-99.0"));
        int sandboxes = call("GET", "/v1/sandboxes?state=all&pageSize=500", null, 200).path("items").size();

        Api.Response refused = api.call("POST", "/v1/sandboxes", key, "{\"snapshotId\":\"" + checkpoint + "\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("snapshot_incompatible");
        assertThat(refused.errorMessage()).contains("needs machine type pc-q35-99.0, which this host's QEMU")
                .contains("nothing was started");
        assertThat(call("GET", "/v1/sandboxes?state=all&pageSize=500", null, 200).path("items").size()).isEqualTo(sandboxes);
        JsonNode platform = api.call("GET", "/v1/hosts", amber.adminKey(), null).json().path("items").get(0)
                .path("platform");
        assertThat(refused.errorMessage()).contains("(it runs machines as " + platform.path("machineType").asText() + ")");
    }

    @Test
    @Order(9)
    void deletingTheSourceFreesItsWholeChainOfCheckpoints() throws Exception {
        assertThat(snapshotsOf(source)).hasSizeGreaterThanOrEqualTo(2);

        assertThat(api.call("DELETE", "/v1/sandboxes/" + source, key, null).status()).isEqualTo(204);

        assertThat(snapshotsOf(source)).isEmpty();
        assertThat(call("GET", "/v1/snapshots", null, 200).path("items")).isEmpty();
        assertThat(TestLayout.withData(amber.data()).snapshot(deletedCheckpoint).dir())
                .as("the checkpoint deleted after the rollback, hidden until now").doesNotExist();
    }

    // ---- helpers ----

    private JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        Api.Response response = api.call(method, path, key, body);
        assertThat(response.status()).as(method + " " + path + " -> " + response.body()).isEqualTo(expectedStatus);
        return response.json();
    }

    private String shell(String sandbox, String script) throws Exception {
        JsonNode result = call("POST", "/v1/sandboxes/" + sandbox + "/exec",
                JSON.writeValueAsString(Map.of("shell", script)), 200);
        assertThat(result.path("exitCode").asInt()).as(script + ": " + result.path("stderr").asText()).isZero();
        return result.path("stdout").asText();
    }

    private long count(String sandbox) throws Exception {
        // The counter truncates the file before each write: a read may land in between and find it empty.
        return Long.parseLong(shell(sandbox, "c=$(cat /dev/shm/count); while [ -z \"$c\" ]; do sleep 0.05;"
                + " c=$(cat /dev/shm/count); done; echo $c").strip());
    }

    /** The counter process is alive: it moves on from {@code from}. */
    private void assertCounting(String sandbox, long from) throws Exception {
        Thread.sleep(500);
        assertThat(count(sandbox)).as("still counting in " + sandbox).isGreaterThan(from);
    }

    private List<String> snapshotsOf(String sandbox) throws Exception {
        return call("GET", "/v1/snapshots?sandboxId=" + sandbox, null, 200).path("items").findValuesAsText("snapshotId");
    }

    private static void assertConflict(Api.Response response, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.errorMessage()).contains(messagePart);
    }
}
