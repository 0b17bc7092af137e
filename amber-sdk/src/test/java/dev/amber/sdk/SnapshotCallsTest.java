package dev.amber.sdk;

import dev.amber.sdk.error.ConflictException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the snapshot calls send and how they read the answers, against {@link FakeServer}. */
class SnapshotCallsTest {

    private static final String RUNNING = sandbox("sb-1", "running");

    private FakeServer server;
    private Amber amber;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
        amber = Amber.connect(server.url(), "amb_test");
    }

    @AfterEach
    void stop() {
        amber.close();
        server.close();
    }

    @Test
    void pauseAndResumePostNothingAndUpdateTheView() {
        server.reply(200, RUNNING).reply(200, sandbox("sb-1", "paused")).reply(200, RUNNING);
        Sandbox sandbox = amber.sandboxes().get("sb-1");

        assertThat(sandbox.pause().state()).isEqualTo("paused");
        assertThat(sandbox.view().state()).isEqualTo("paused");
        assertThat(sandbox.resume().state()).isEqualTo("running");

        assertThat(server.requests()).map(FakeServer.Request::toString).containsExactly(
                "GET /v1/sandboxes/sb-1", "POST /v1/sandboxes/sb-1/pause", "POST /v1/sandboxes/sb-1/resume");
    }

    @Test
    void checkpointListAndRestore() {
        server.reply(200, RUNNING)
                .reply(201, checkpoint("snap-c1"))
                .reply(200, "{\"items\": [" + checkpoint("snap-c1") + "], \"nextPage\": null}")
                .reply(200, sandbox("sb-1", "running"));
        Sandbox sandbox = amber.sandboxes().get("sb-1");

        Snapshot checkpoint = sandbox.checkpoint();
        List<Snapshot> all = sandbox.checkpoints();
        sandbox.restore(checkpoint);

        assertThat(checkpoint.id()).isEqualTo("snap-c1");
        assertThat(checkpoint.isCheckpoint()).isTrue();
        assertThat(checkpoint.name()).isNull();
        assertThat(checkpoint.view().pauseWindowMs()).isEqualTo(12L);
        assertThat(all).extracting(Snapshot::id).containsExactly("snap-c1");
        assertThat(server.requests()).map(FakeServer.Request::toString).containsExactly(
                "GET /v1/sandboxes/sb-1",
                "POST /v1/sandboxes/sb-1/checkpoints",
                "GET /v1/sandboxes/sb-1/checkpoints?pageSize=500&page=0",
                "POST /v1/sandboxes/sb-1/checkpoints/snap-c1/restore");
    }

    @Test
    void forkSendsTheCountAndReturnsTheCopies() {
        server.reply(200, RUNNING).reply(201, "{\"checkpoint\": " + checkpoint("snap-c2") + ", \"sandboxes\": ["
                + sandbox("sb-2", "running") + ", " + sandbox("sb-3", "running") + "]}");
        Sandbox sandbox = amber.sandboxes().get("sb-1");

        assertThat(sandbox.fork(2)).extracting(Sandbox::id).containsExactly("sb-2", "sb-3");
        assertThat(server.requests().getLast().toString()).isEqualTo("POST /v1/sandboxes/sb-1/fork {\"count\":2}");
        assertThatThrownBy(() -> sandbox.fork(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void snapshotThenStartFromItByName() {
        server.reply(200, RUNNING)
                .reply(201, snapshot("snap-s1", "with data"))
                .reply(200, snapshot("snap-s1", "with data"))
                .reply(201, sandbox("sb-9", "running"));
        Snapshot snapshot = amber.sandboxes().get("sb-1").snapshot("with data");

        Sandbox copy = amber.sandboxes().fromSnapshot("with data");

        assertThat(snapshot.name()).isEqualTo("with data");
        assertThat(snapshot.isCheckpoint()).isFalse();
        assertThat(copy.id()).isEqualTo("sb-9");
        assertThat(server.requests()).map(FakeServer.Request::toString).containsExactly(
                "GET /v1/sandboxes/sb-1",
                "POST /v1/sandboxes/sb-1/snapshots {\"name\":\"with data\"}",
                "GET /v1/snapshots/with%20data",
                "POST /v1/sandboxes {\"snapshotId\":\"snap-s1\"}");
    }

    @Test
    void listFiltersAndWalksPages() {
        server.reply(200, "{\"items\": [" + snapshot("snap-a", "a") + "], \"nextPage\": 1}")
                .reply(200, "{\"items\": [" + snapshot("snap-b", "b") + "], \"nextPage\": null}");

        List<Snapshot> found = amber.snapshots().list(SnapshotFilter.all().ofSandbox("sb-1").ofKind(Snapshot.KIND_SNAPSHOT));

        assertThat(found).extracting(Snapshot::name).containsExactly("a", "b");
        assertThat(server.requests()).map(FakeServer.Request::query).containsExactly(
                "sandboxId=sb-1&kind=snapshot&pageSize=500&page=0", "sandboxId=sb-1&kind=snapshot&pageSize=500&page=1");
    }

    @Test
    void deleteByNameAndAConflictIsTyped() {
        server.reply(204, "").reply(409, "{\"error\": {\"code\": \"conflict\", \"message\": \"snapshot in use\"}}");

        amber.snapshots().delete("base image");

        assertThat(server.requests().getFirst().toString()).isEqualTo("DELETE /v1/snapshots/base%20image");
        assertThatThrownBy(() -> amber.snapshots().delete("base image"))
                .isInstanceOf(ConflictException.class).hasMessage("snapshot in use");
    }

    private static String sandbox(String id, String state) {
        return "{\"id\": \"" + id + "\", \"state\": \"" + state + "\", \"vcpus\": 1, \"memoryMb\": 256}";
    }

    private static String checkpoint(String id) {
        return "{\"snapshotId\": \"" + id + "\", \"kind\": \"checkpoint\", \"state\": \"ready\", \"sandboxId\": \"sb-1\","
                + " \"pauseWindowMs\": 12, \"createdAt\": \"2026-01-01T00:00:00Z\"}";
    }

    private static String snapshot(String id, String name) {
        return "{\"snapshotId\": \"" + id + "\", \"name\": \"" + name + "\", \"kind\": \"snapshot\", \"state\": \"ready\","
                + " \"sandboxId\": \"sb-1\", \"sizeBytes\": 1048576}";
    }
}
