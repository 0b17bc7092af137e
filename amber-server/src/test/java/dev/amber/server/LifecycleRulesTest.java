package dev.amber.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.server.ServerFixture.Response;
import dev.amber.server.http.Json;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxRepository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive, settings changes, auto-resume refusals and what the inactivity reaper picks, checked
 * without a VM: sandboxes are rows written straight into the database, on a host that is never
 * connected (so a pause or resume that reaches the host fails, and is reverted).
 */
class LifecycleRulesTest {

    private static ServerFixture server;
    private static Jdbi db;
    private static SandboxRepository repository;
    private static UUID host;
    private static String keyA;
    private static String keyB;
    private static UUID teamA;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.withoutHosts();
        db = server.database().jdbi();
        repository = new SandboxRepository(db, Json.mapper(), UUID.randomUUID());
        keyA = server.newTeamKey("lifecycle-a");
        keyB = server.newTeamKey("lifecycle-b");
        teamA = uuid(server.call("GET", "/v1/teams/me", keyA, null).json().path("id").asText());
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
    void patchChangesTimeoutAutoResumeAndMetadataOnly() throws Exception {
        String sandbox = sandbox("paused", 300, true, "1 minute");
        db.useHandle(handle -> handle.createUpdate("update sandboxes set metadata = '{\"old\": \"x\"}' where id = :id")
                .bind("id", uuid(sandbox)).execute());

        JsonNode updated = patch(sandbox, keyA, "{\"timeoutSec\":0,\"autoResume\":false,\"metadata\":{\"new\":\"y\"}}")
                .json();

        assertThat(updated.path("timeoutSec").asInt()).isZero();
        assertThat(updated.path("autoResume").asBoolean()).isFalse();
        assertThat(updated.path("metadata").properties()).as("metadata replaced").hasSize(1);
        assertThat(updated.path("metadata").path("new").asText()).isEqualTo("y");
        assertThat(updated.path("state").asText()).isEqualTo("paused");

        JsonNode partly = patch(sandbox, keyA, "{\"timeoutSec\":60}").json();
        assertThat(partly.path("timeoutSec").asInt()).isEqualTo(60);
        assertThat(partly.path("autoResume").asBoolean()).as("absent fields stay").isFalse();
        assertThat(partly.path("metadata").path("new").asText()).isEqualTo("y");
    }

    @Test
    void patchRefusesWhatCreateWouldRefuse() throws Exception {
        String sandbox = sandbox("running", 300, true, "0 seconds");
        assertRefused(patch(sandbox, keyA, "{\"timeoutSec\":-1}"),
                "timeoutSec must be between 0 (never) and 604800, got -1");
        assertRefused(patch(sandbox, keyA, "{\"timeoutSec\":604801}"), "got 604801");
        assertRefused(patch(sandbox, keyA, "{\"timeoutSec\":\"soon\"}"), "field \"timeoutSec\" has the wrong type");
        assertRefused(patch(sandbox, keyA, "{\"metadata\":{\"\":\"empty key\"}}"), "metadata keys must be non-empty");
        assertRefused(patch(sandbox, keyA, "{\"autoPause\":false}"), "unknown field \"autoPause\"");
        assertRefused(patch(sandbox, keyA, ""), "request body is missing");

        Response stranger = patch(sandbox, keyB, "{\"timeoutSec\":1}");
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.errorMessage()).isEqualTo("no sandbox " + sandbox);
        assertThat(server.call("GET", "/v1/sandboxes/" + sandbox, keyA, null).json().path("timeoutSec").asInt())
                .isEqualTo(300);
    }

    @Test
    void pingRecordsActivityAtMostOncePerSecondAndOnlyForTheTeam() throws Exception {
        String sandbox = sandbox("paused", 300, true, "1 hour");
        Instant before = Instant.now().minusSeconds(5);

        JsonNode pinged = server.call("POST", "/v1/sandboxes/" + sandbox + "/ping", keyA, null).json();

        Instant activity = Instant.parse(pinged.path("lastActivityAt").asText());
        assertThat(activity).isAfter(before);
        assertThat(pinged.path("state").asText()).as("a ping wakes nothing").isEqualTo("paused");
        assertThat(server.call("POST", "/v1/sandboxes/" + sandbox + "/ping", keyA, null).json()
                .path("lastActivityAt").asText()).as("no second write within a second").isEqualTo(pinged
                .path("lastActivityAt").asText());
        assertThat(server.call("POST", "/v1/sandboxes/" + sandbox + "/ping", keyB, null).status()).isEqualTo(404);
    }

    @Test
    void execOnAPausedSandboxWithoutAutoResumeSaysHowToResumeIt() throws Exception {
        String sandbox = sandbox("paused", 300, false, "0 seconds");

        Response refused = exec(sandbox);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.errorMessage()).contains("is paused").contains("autoResume is off")
                .contains("POST /v1/sandboxes/" + sandbox + "/resume");
        assertThat(state(sandbox)).isEqualTo("paused");
    }

    @Test
    void execOnAPausedSandboxWithAutoResumeTriesToResumeIt() throws Exception {
        String sandbox = sandbox("paused", 300, true, "0 seconds");

        Response hostAway = exec(sandbox);

        assertThat(hostAway.status()).as("the resume reached for the host, which is away: " + hostAway.body())
                .isEqualTo(503);
        assertThat(hostAway.errorMessage()).contains("is unreachable");
        assertThat(state(sandbox)).as("the resume was reverted").isEqualTo("paused");
    }

    @Test
    void theReaperPicksOnlyRunningSandboxesIdleLongerThanTheirTimeout() throws Exception {
        String idle = sandbox("running", 5, true, "1 minute");
        Set<String> others = Set.of(sandbox("running", 0, true, "1 hour"), sandbox("running", 300, true, "1 minute"),
                sandbox("paused", 5, true, "1 hour"));
        String noAutoPause = sandbox("running", 5, true, "1 hour");
        db.useHandle(handle -> handle.createUpdate("update sandboxes set auto_pause = false where id = :id")
                .bind("id", uuid(noAutoPause)).execute());

        // The server's own reaper tries the idle one too (and fails, its host being away): it is
        // in "pausing" for a moment every two seconds, so look a few times.
        boolean found = false;
        for (int i = 0; i < 5 && !found; i++) {
            List<String> picked = repository.idle().stream().map(SandboxRecord::wireId).toList();
            assertThat(picked).doesNotContainAnyElementsOf(others).doesNotContain(noAutoPause);
            found = picked.contains(idle);
            Thread.sleep(100);
        }
        assertThat(found).as("the idle sandbox is picked").isTrue();
        assertThat(state(idle)).as("a pause its host could not do is reverted").isEqualTo("running");
    }

    @Test
    void callsInFlightCountAsActivity() throws Exception {
        String busy = sandbox("running", 300, true, "1 hour");
        Instant before = activity(busy);

        repository.touch(List.of(uuid(busy)));

        assertThat(Duration.between(before, activity(busy))).isGreaterThan(Duration.ofMinutes(59));
    }

    // ---- rows written directly: the state a real host would have produced ----

    private static String sandbox(String state, int timeoutSec, boolean autoResume, String idleFor) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, auto_resume, host_id,
                                               last_activity_at)
                        values (:id, :team, :state, 1, 512, :timeout, :autoResume, :host,
                                now() - cast(:idleFor as interval))""")
                .bind("id", id).bind("team", teamA).bind("state", state).bind("timeout", timeoutSec)
                .bind("autoResume", autoResume).bind("host", host).bind("idleFor", idleFor).execute());
        return Ids.SANDBOX.format(id);
    }

    private static Response patch(String sandbox, String key, String body) throws Exception {
        return server.call("PATCH", "/v1/sandboxes/" + sandbox, key, body);
    }

    private static Response exec(String sandbox) throws Exception {
        return server.call("POST", "/v1/sandboxes/" + sandbox + "/exec", keyA, "{\"cmd\":[\"true\"]}");
    }

    private static void assertRefused(Response response, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("bad_request");
        assertThat(response.errorMessage()).contains(messagePart);
    }

    private static String state(String sandbox) {
        return db.withHandle(handle -> handle.createQuery("select state from sandboxes where id = :id")
                .bind("id", uuid(sandbox)).mapTo(String.class).one());
    }

    private static Instant activity(String sandbox) {
        return db.withHandle(handle -> handle.createQuery("select last_activity_at from sandboxes where id = :id")
                .bind("id", uuid(sandbox)).mapTo(java.time.OffsetDateTime.class).one()).toInstant();
    }

    private static UUID uuid(String wireId) {
        return UUID.fromString(wireId.substring(wireId.indexOf('-') + 1));
    }
}
