package dev.amber.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.server.ServerFixture.Response;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the snapshot, checkpoint, fork and pause endpoints refuse before any host is asked, and
 * how they leave things when the host cannot be reached. No VM runs here: sandboxes and snapshots
 * are rows written straight into the database, on a host that is never connected.
 */
class SnapshotRulesTest {

    private static ServerFixture server;
    private static Jdbi db;
    private static UUID host;
    private static String keyA;
    private static String keyB;
    private static UUID teamA;
    private static UUID teamB;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.withoutHosts();
        db = server.database().jdbi();
        keyA = server.newTeamKey("snapshot-rules-a");
        keyB = server.newTeamKey("snapshot-rules-b");
        teamA = teamOf(keyA);
        teamB = teamOf(keyB);
        host = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate(
                        "insert into hosts (id, name, address, state) values (:id, 'away', '127.0.0.1:1', 'unreachable')")
                .bind("id", host).execute());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void snapshotNamesAreChecked() throws Exception {
        String sandbox = sandbox(teamA, "running");
        for (String body : new String[] {"{}", "{\"name\":\"\"}", "{\"name\":\"-dash-first\"}", "{\"name\":\"has space\"}",
                "{\"name\":\"" + "n".repeat(65) + "\"}", "{\"name\":\"caf\u00e9\"}"}) {
            Response refused = post("/v1/sandboxes/" + sandbox + "/snapshots", keyA, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errorMessage()).contains("name must be 1-64 letters, digits");
        }
        Response lookalike = post("/v1/sandboxes/" + sandbox + "/snapshots", keyA, "{\"name\":\"Snap-lookalike\"}");
        assertThat(lookalike.status()).isEqualTo(400);
        assertThat(lookalike.errorMessage()).contains("must not start with \"snap-\"");
        assertThat(post("/v1/sandboxes/" + sandbox + "/snapshots", keyA, "{\"nom\":\"x\"}").errorMessage())
                .contains("unknown field \"nom\"");

        assertThat(snapshotsOf(keyA, sandbox)).isEmpty();
        assertThat(state(sandbox)).isEqualTo("running");
    }

    @Test
    void duplicateNamesAreRefusedWithinATeamOnly() throws Exception {
        String sandboxA = sandbox(teamA, "running");
        snapshot(teamA, sandboxA, "snapshot", "ready", "taken");

        Response duplicate = post("/v1/sandboxes/" + sandboxA + "/snapshots", keyA, "{\"name\":\"taken\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorMessage()).contains("a snapshot named \"taken\" exists already");
        assertThat(state(sandboxA)).isEqualTo("running");

        String sandboxB = sandbox(teamB, "running");
        Response hostAway = post("/v1/sandboxes/" + sandboxB + "/snapshots", keyB, "{\"name\":\"taken\"}");
        assertThat(hostAway.status()).isEqualTo(503);
        JsonNode failed = server.call("GET", "/v1/snapshots/taken", keyB, null).json();
        assertThat(failed.path("state").asText()).isEqualTo("failed");
        assertThat(failed.path("stateReason").asText()).contains("unreachable");
        assertThat(failed.path("sandboxId").asText()).isEqualTo(sandboxB);
        assertThat(state(sandboxB)).isEqualTo("running");
    }

    @Test
    void forkCountIsChecked() throws Exception {
        String sandbox = sandbox(teamA, "running");
        for (String count : new String[] {"0", "11", "-1"}) {
            Response refused = post("/v1/sandboxes/" + sandbox + "/fork", keyA, "{\"count\":" + count + "}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorMessage()).contains("count must be between 1 and 10, got " + count);
        }
        assertThat(post("/v1/sandboxes/" + sandbox + "/fork", keyA, "{\"count\":\"two\"}").errorMessage())
                .contains("field \"count\" has the wrong type");

        assertThat(snapshotsOf(keyA, sandbox)).isEmpty();
        assertThat(state(sandbox)).isEqualTo("running");
    }

    @Test
    void listFiltersAreChecked() throws Exception {
        Response kind = server.call("GET", "/v1/snapshots?kind=image", keyA, null);
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.errorMessage()).contains("unknown kind \"image\"; one of snapshot, checkpoint");

        Response sandboxId = server.call("GET", "/v1/snapshots?sandboxId=nonsense", keyA, null);
        assertThat(sandboxId.status()).isEqualTo(400);
        assertThat(sandboxId.errorMessage()).contains("sandboxId must be a sandbox id");

        assertThat(server.call("GET", "/v1/snapshots?pageSize=0", keyA, null).status()).isEqualTo(400);
    }

    @Test
    void unknownSnapshotsAre404() throws Exception {
        for (String ref : new String[] {"snap-" + UUID.randomUUID(), "no-such-snapshot", "snap-nonsense"}) {
            Response get = server.call("GET", "/v1/snapshots/" + ref, keyA, null);
            assertThat(get.status()).isEqualTo(404);
            assertThat(get.errorMessage()).isEqualTo("no snapshot " + ref);
            assertThat(server.call("DELETE", "/v1/snapshots/" + ref, keyA, null).status()).isEqualTo(404);
        }
    }

    @Test
    void anotherTeamsSandboxesAndSnapshotsAre404() throws Exception {
        String sandbox = sandbox(teamA, "running");
        String checkpoint = snapshot(teamA, sandbox, "checkpoint", "ready", null);
        String named = snapshot(teamA, sandbox, "snapshot", "ready", "team-a-only");

        for (String path : new String[] {"/pause", "/resume", "/checkpoints", "/checkpoints/" + checkpoint + "/restore",
                "/fork", "/snapshots"}) {
            Response response = post("/v1/sandboxes/" + sandbox + path, keyB,
                    path.equals("/snapshots") ? "{\"name\":\"stolen\"}" : null);
            assertThat(response.status()).as(path + " " + response.body()).isEqualTo(404);
            assertThat(response.errorMessage()).isEqualTo("no sandbox " + sandbox);
        }
        assertThat(server.call("GET", "/v1/sandboxes/" + sandbox + "/checkpoints", keyB, null).status()).isEqualTo(404);
        for (String ref : new String[] {checkpoint, named, "team-a-only"}) {
            assertThat(server.call("GET", "/v1/snapshots/" + ref, keyB, null).status()).isEqualTo(404);
            assertThat(server.call("DELETE", "/v1/snapshots/" + ref, keyB, null).status()).isEqualTo(404);
            assertThat(post("/v1/sandboxes", keyB, "{\"snapshotId\":\"" + ref + "\"}").status()).isEqualTo(404);
        }
        assertThat(snapshotsOf(keyB, sandbox)).isEmpty();
        assertThat(server.call("GET", "/v1/snapshots", keyB, null).json().path("items").findValuesAsText("snapshotId"))
                .doesNotContain(checkpoint, named);

        assertThat(server.call("GET", "/v1/snapshots/team-a-only", keyA, null).json().path("snapshotId").asText())
                .isEqualTo(named);
        assertThat(state(sandbox)).isEqualTo("running");
    }

    @Test
    void wrongStatesAreNamed() throws Exception {
        String paused = sandbox(teamA, "paused");
        String running = sandbox(teamA, "running");
        String stopped = sandbox(teamA, "stopped");

        assertConflict(post("/v1/sandboxes/" + paused + "/pause", keyA, null), "is paused; only a running sandbox can be paused");
        assertConflict(post("/v1/sandboxes/" + running + "/resume", keyA, null), "is running; only a paused sandbox can be resumed");
        assertConflict(post("/v1/sandboxes/" + paused + "/checkpoints", keyA, null), "is paused; only a running sandbox");
        assertConflict(post("/v1/sandboxes/" + paused + "/fork", keyA, null), "is paused; only a running sandbox");
        String checkpoint = snapshot(teamA, stopped, "checkpoint", "ready", null);
        assertConflict(post("/v1/sandboxes/" + stopped + "/checkpoints/" + checkpoint + "/restore", keyA, null),
                "is stopped; only a running or paused sandbox can be rolled back");
        assertConflict(post("/v1/sandboxes/" + stopped + "/exec", keyA, "{\"cmd\":[\"true\"]}"), "is stopped");
    }

    @Test
    void rollbackNeedsACheckpointOfThatSandbox() throws Exception {
        String one = sandbox(teamA, "running");
        String other = sandbox(teamA, "running");
        String checkpointOfOne = snapshot(teamA, one, "checkpoint", "ready", null);
        String namedOfOther = snapshot(teamA, other, "snapshot", "ready", "not-a-checkpoint");

        for (String wrong : new String[] {checkpointOfOne, namedOfOther, "not-a-checkpoint", "snap-" + UUID.randomUUID()}) {
            Response response = post("/v1/sandboxes/" + other + "/checkpoints/" + wrong + "/restore", keyA, null);
            assertThat(response.status()).as(wrong).isEqualTo(404);
            assertThat(response.errorMessage()).contains("has no checkpoint " + wrong);
        }
        String failed = snapshot(teamA, other, "checkpoint", "failed", null);
        assertConflict(post("/v1/sandboxes/" + other + "/checkpoints/" + failed + "/restore", keyA, null),
                "is failed");
        assertThat(state(other)).isEqualTo("running");
    }

    @Test
    void sandboxesFromASnapshotTakeItsResources() throws Exception {
        String source = sandbox(teamA, "running");
        String snapshot = snapshot(teamA, source, "snapshot", "ready", "resources-from-here");
        int before = sandboxCount(keyA);

        Response vcpus = post("/v1/sandboxes", keyA, "{\"snapshotId\":\"" + snapshot + "\",\"vcpus\":2}");
        assertThat(vcpus.status()).isEqualTo(400);
        assertThat(vcpus.errorMessage()).contains("vcpus comes from the snapshot (" + snapshot + " has 1)");
        assertThat(post("/v1/sandboxes", keyA, "{\"snapshotId\":\"" + snapshot + "\",\"memoryMb\":1024}").errorMessage())
                .contains("memoryMb comes from the snapshot");
        assertThat(post("/v1/sandboxes", keyA, "{\"snapshotId\":\"resources-from-here\",\"diskSizeMb\":9000}")
                .errorMessage()).contains("diskSizeMb comes from the snapshot");

        Response sameValues = post("/v1/sandboxes", keyA, "{\"snapshotId\":\"resources-from-here\",\"vcpus\":1,"
                + "\"memoryMb\":512,\"diskSizeMb\":5120}");
        assertThat(sameValues.status()).as("valid, then refused for the snapshot's host being away").isEqualTo(503);
        assertThat(sameValues.errorMessage()).contains(Ids.HOST.format(host));

        String creating = snapshot(teamA, source, "snapshot", "creating", "not-yet");
        assertConflict(post("/v1/sandboxes", keyA, "{\"snapshotId\":\"" + creating + "\"}"), "is creating");
        assertThat(sandboxCount(keyA)).isEqualTo(before);
    }

    @Test
    void thePlatformTeamsSnapshotsArePrivateAndAnAdminDeletesOneWhileAnotherTeamsSandboxUsesIt() throws Exception {
        String platformSandbox = sandbox(Ids.PLATFORM_TEAM, "stopped");
        String platform = snapshot(Ids.PLATFORM_TEAM, platformSandbox, "snapshot", "ready", "admin-work");

        for (String key : new String[] {keyA, keyB}) {
            for (String ref : new String[] {platform, "admin-work"}) {
                assertThat(server.call("GET", "/v1/snapshots/" + ref, key, null).status()).isEqualTo(404);
                assertThat(server.call("GET", "/v1/snapshots/" + ref + "/patches", key, null).status()).isEqualTo(404);
                assertThat(server.call("DELETE", "/v1/snapshots/" + ref, key, null).status()).isEqualTo(404);
                assertThat(post("/v1/sandboxes", key, "{\"snapshotId\":\"" + ref + "\"}").status()).isEqualTo(404);
            }
            assertThat(server.call("GET", "/v1/snapshots?pageSize=500", key, null).json().path("items")
                    .findValuesAsText("snapshotId")).doesNotContain(platform);
        }
        assertThat(server.call("GET", "/v1/snapshots/admin-work", server.adminKey(), null).json().path("snapshotId")
                .asText()).isEqualTo(platform);

        String user = sandbox(teamA, "running");
        setUuid("sandboxes", user, "disk_base_id", platform);
        assertThat(server.call("DELETE", "/v1/snapshots/admin-work", server.adminKey(), null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/v1/snapshots/" + platform, server.adminKey(), null).status()).isEqualTo(404);
        assertThat(hidden(platform)).as("kept for team A's sandbox, whose disk sits on it").isTrue();
        assertThat(state(user)).isEqualTo("running");
    }

    @Test
    void otherTeamsStartFromAPublishedPlatformTemplateWithoutSeeingItsSnapshot() throws Exception {
        String builder = sandbox(Ids.PLATFORM_TEAM, "stopped");
        String shared = snapshot(Ids.PLATFORM_TEAM, builder, "layer", "ready", null);
        String own = snapshot(Ids.PLATFORM_TEAM, builder, "layer", "ready", null);
        template("published-tools", shared, true);
        template("admin-tools", own, false);

        assertThat(server.call("GET", "/v1/templates", keyA, null).json().path("items").findValuesAsText("name"))
                .contains("base", "published-tools").doesNotContain("admin-tools");
        assertThat(server.call("GET", "/v1/templates/published-tools", keyA, null).json().path("platform").asBoolean())
                .isTrue();
        assertThat(server.call("GET", "/v1/templates/admin-tools", keyA, null).status()).isEqualTo(404);
        assertThat(server.call("DELETE", "/v1/templates/admin-tools", keyA, null).status()).isEqualTo(404);
        assertThat(server.call("DELETE", "/v1/templates/published-tools", keyA, null).status()).isEqualTo(403);
        Response unknown = post("/v1/sandboxes", keyA, "{\"template\":\"admin-tools\"}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.errorMessage()).isEqualTo("unknown template \"admin-tools\"");
        assertThat(post("/v1/templates", keyA, "{\"name\":\"mine\",\"from\":\"admin-tools\"}").errorMessage())
                .isEqualTo("unknown template \"admin-tools\" in from");

        Response throughTheTemplate = post("/v1/sandboxes", keyA, "{\"template\":\"published-tools\"}");
        assertThat(throughTheTemplate.status()).as("resolved, then its host is away: " + throughTheTemplate.body())
                .isEqualTo(503);
        assertThat(throughTheTemplate.errorMessage()).contains(Ids.HOST.format(host));
        assertThat(server.call("GET", "/v1/snapshots/" + shared, keyA, null).status()).isEqualTo(404);

        JsonNode adminView = server.call("GET", "/v1/templates?pageSize=500", server.adminKey(), null).json().path("items");
        assertThat(adminView.findValuesAsText("name")).contains("published-tools", "admin-tools");
        for (JsonNode template : adminView) {
            if (template.path("name").asText().equals("admin-tools")) {
                assertThat(template.path("platform").asBoolean()).as("not published").isFalse();
            }
        }
    }

    @Test
    void aSnapshotInUseIsGoneForItsUserAtOnceAndKeptUnderneath() throws Exception {
        String sandbox = sandbox(teamA, "running");
        String base = snapshot(teamA, sandbox, "snapshot", "ready", "chain-base");
        String child = snapshot(teamA, sandbox, "checkpoint", "ready", null);
        setUuid("snapshots", child, "disk_parent_id", base);
        setUuid("sandboxes", sandbox, "based_on", base);

        assertThat(server.call("DELETE", "/v1/snapshots/chain-base", keyA, null).status()).isEqualTo(204);

        for (String ref : new String[] {base, "chain-base"}) {
            assertThat(server.call("GET", "/v1/snapshots/" + ref, keyA, null).status()).isEqualTo(404);
            assertThat(server.call("DELETE", "/v1/snapshots/" + ref, keyA, null).status()).isEqualTo(404);
            Response start = post("/v1/sandboxes", keyA, "{\"snapshotId\":\"" + ref + "\"}");
            assertThat(start.status()).as("nothing new starts from it").isEqualTo(404);
            assertThat(start.errorMessage()).isEqualTo("no snapshot " + ref);
        }
        assertThat(server.call("GET", "/v1/snapshots?pageSize=500", keyA, null).json().path("items")
                .findValuesAsText("snapshotId")).contains(child).doesNotContain(base);
        assertThat(hidden(base)).as("its layer is under the sandbox's and the checkpoint's").isTrue();
        Response sameName = post("/v1/sandboxes/" + sandbox + "/snapshots", keyA, "{\"name\":\"chain-base\"}");
        assertThat(sameName.status()).as("the name is free: taken again, then the host is away").isEqualTo(503);

        String checkpoint = snapshot(teamA, sandbox, "checkpoint", "ready", null);
        setUuid("sandboxes", sandbox, "disk_base_id", checkpoint);
        assertThat(server.call("DELETE", "/v1/snapshots/" + checkpoint, keyA, null).status()).isEqualTo(204);
        Response rollback = post("/v1/sandboxes/" + sandbox + "/checkpoints/" + checkpoint + "/restore", keyA, null);
        assertThat(rollback.status()).as("no rollback to a deleted checkpoint").isEqualTo(404);
        assertThat(rollback.errorMessage()).contains("has no checkpoint " + checkpoint);
        assertThat(state(sandbox)).isEqualTo("running");
    }

    @Test
    void aSnapshotBeingMadeIsNotDeletedAndOneWhoseHostIsAwayLeavesItsFilesForItsReturn() throws Exception {
        String sandbox = sandbox(teamA, "running");
        String creating = snapshot(teamA, sandbox, "snapshot", "creating", null);
        assertConflict(server.call("DELETE", "/v1/snapshots/" + creating, keyA, null), "is still being created");

        String unused = snapshot(teamA, sandbox, "checkpoint", "ready", null);
        assertThat(server.call("DELETE", "/v1/snapshots/" + unused, keyA, null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/v1/snapshots/" + unused, keyA, null).status()).isEqualTo(404);
        List<String> owed = db.withHandle(handle -> handle.createQuery(
                        "select kind from host_cleanups where host_id = :host and object_id = :id")
                .bind("host", host).bind("id", unused).mapTo(String.class).list());
        assertThat(owed).as("its files are removed when the host registers again").containsExactly("snapshot");
    }

    @Test
    void requestsWaitForATransitionAndRevertWhenTheHostFails() throws Exception {
        String sandbox = sandbox(teamA, "resuming");
        CompletableFuture<Void> settle = CompletableFuture.runAsync(() -> {
            sleep(600);
            db.useHandle(handle -> handle.createUpdate("update sandboxes set state = 'running' where id = :id")
                    .bind("id", uuid(sandbox)).execute());
        });
        long started = System.nanoTime();

        Response pause = post("/v1/sandboxes/" + sandbox + "/pause", keyA, null);

        settle.join();
        assertThat((System.nanoTime() - started) / 1_000_000).as("waited for resuming to end").isGreaterThanOrEqualTo(500);
        assertThat(pause.status()).as("then tried, and the host is away").isEqualTo(503);
        assertThat(state(sandbox)).as("pausing reverted").isEqualTo("running");
    }

    @Test
    void sandboxesShowWhereTheirStateCameFrom() throws Exception {
        String source = sandbox(teamA, "running");
        String snapshot = snapshot(teamA, source, "snapshot", "ready", null);
        String derived = sandbox(teamA, "paused");
        setUuid("sandboxes", derived, "snapshot_id", snapshot);
        setUuid("sandboxes", derived, "based_on", snapshot);

        JsonNode view = server.call("GET", "/v1/sandboxes/" + derived, keyA, null).json();
        assertThat(view.path("snapshotId").asText()).isEqualTo(snapshot);
        assertThat(view.path("basedOn").asText()).isEqualTo(snapshot);
        assertThat(view.path("state").asText()).isEqualTo("paused");
        assertThat(server.call("GET", "/v1/sandboxes?state=paused", keyA, null).json().path("items")
                .findValuesAsText("id")).contains(derived);
        assertThat(server.call("GET", "/v1/sandboxes?state=asleep", keyA, null).errorMessage())
                .contains("one of creating, running, pausing, paused, resuming, snapshotting, restoring");
    }

    // ---- rows written directly: the state a real host would have produced ----

    private static String sandbox(UUID team, String state) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, host_id)
                        values (:id, :team, :state, 1, 512, 300, :host)""")
                .bind("id", id).bind("team", team).bind("state", state).bind("host", host).execute());
        return Ids.SANDBOX.format(id);
    }

    private static String snapshot(UUID team, String sandbox, String kind, String state, String name) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into snapshots (id, team_id, name, kind, state, sandbox_id, host_id, vcpus, memory_mb,
                                               disk_size_mb)
                        values (:id, :team, :name, :kind, :state, :sandbox, :host, 1, 512, 5120)""")
                .bind("id", id).bind("team", team).bind("name", name).bind("kind", kind).bind("state", state)
                .bind("sandbox", uuid(sandbox)).bind("host", host).execute());
        return Ids.SNAPSHOT.format(id);
    }

    private static void template(String name, String snapshot, boolean published) {
        db.useHandle(handle -> handle.createUpdate("""
                        insert into templates (id, team_id, name, kind, state, vcpus, memory_mb, snapshot_id, published)
                        values (:id, :team, :name, 'snapshot', 'ready', 1, 512, :snapshot, :published)""")
                .bind("id", UUID.randomUUID()).bind("team", Ids.PLATFORM_TEAM).bind("name", name)
                .bind("snapshot", uuid(snapshot)).bind("published", published).execute());
    }

    private static void setUuid(String table, String row, String column, String snapshot) {
        db.useHandle(handle -> handle.createUpdate("update " + table + " set " + column + " = :value where id = :id")
                .bind("id", uuid(row)).bind("value", uuid(snapshot)).execute());
    }

    private static UUID uuid(String wireId) {
        return UUID.fromString(wireId.substring(wireId.indexOf('-') + 1));
    }

    private static String state(String sandbox) throws Exception {
        return db.withHandle(handle -> handle.createQuery("select state from sandboxes where id = :id")
                .bind("id", uuid(sandbox)).mapTo(String.class).one());
    }

    private static boolean hidden(String snapshot) {
        return db.withHandle(handle -> handle.createQuery("select hidden from snapshots where id = :id")
                .bind("id", uuid(snapshot)).mapTo(Boolean.class).one());
    }

    private static UUID teamOf(String key) throws Exception {
        return uuid(server.call("GET", "/v1/teams/me", key, null).json().path("id").asText());
    }

    private static java.util.List<String> snapshotsOf(String key, String sandbox) throws Exception {
        return server.call("GET", "/v1/snapshots?sandboxId=" + sandbox, key, null).json().path("items")
                .findValuesAsText("snapshotId");
    }

    private static int sandboxCount(String key) throws Exception {
        return server.call("GET", "/v1/sandboxes?pageSize=500", key, null).json().path("items").size();
    }

    private static Response post(String path, String key, String body) throws Exception {
        return server.call("POST", path, key, body);
    }

    private static void assertConflict(Response response, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo("conflict");
        assertThat(response.errorMessage()).contains(messagePart);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
