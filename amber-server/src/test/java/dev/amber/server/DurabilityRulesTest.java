package dev.amber.server;

import dev.amber.server.ServerFixture.Response;
import dev.amber.store.StoreSettings;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a server with an object store answers when the host that holds a snapshot or a pause is
 * gone, checked without a VM or a store (rows written straight into the database; the host and the
 * store are never reached): a state not copied yet is refused with 409 snapshot_not_durable, a
 * durable one is placed on any host (here there is none: 503), and nothing changes either way.
 */
class DurabilityRulesTest {

    private static ServerFixture server;
    private static Jdbi db;
    private static UUID host;
    private static UUID team;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        StoreSettings nowhere = new StoreSettings(URI.create("http://127.0.0.1:9"), "amber-rules", "us-east-1", "k", "s",
                "", 1, 0, 0);
        server = ServerFixture.start((id, address) -> {
            throw new IOException("this test server connects to no host");
        }, ServerSettings.forTests().withStore(nowhere));
        db = server.database().jdbi();
        key = server.newTeamKey("durability-rules");
        team = uuid(server.call("GET", "/v1/teams/me", key, null).json().path("id").asText());
        host = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate(
                        "insert into hosts (id, name, address, state) values (:id, 'gone', '127.0.0.1:1', 'unreachable')")
                .bind("id", host).execute());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aSnapshotNotYetInTheStoreCannotStartAnywhereElse() throws Exception {
        String source = sandbox("running", null);
        String snapshot = snapshot(source, false, "the store did not answer");

        Response view = server.call("GET", "/v1/snapshots/" + snapshot, key, null);
        assertThat(view.json().path("durable").asBoolean()).isFalse();
        assertThat(view.json().path("durableError").asText()).isEqualTo("the store did not answer");

        Response refused = server.call("POST", "/v1/sandboxes", key, "{\"snapshotId\":\"" + snapshot + "\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("snapshot_not_durable");
        assertThat(refused.errorMessage()).contains(snapshot).contains(Ids.HOST.format(host)).contains("unreachable");
        assertThat(sandboxesOf(snapshot)).isZero();
    }

    @Test
    void aDurableSnapshotIsNotBoundToItsHost() throws Exception {
        String snapshot = snapshot(sandbox("running", null), true, null);

        Response placed = server.call("POST", "/v1/sandboxes", key, "{\"snapshotId\":\"" + snapshot + "\"}");

        assertThat(placed.status()).as("placed among the hosts, of which none is ready").isEqualTo(503);
        assertThat(placed.errorCode()).isEqualTo("no_capacity");
        assertThat(sandboxesOf(snapshot)).isZero();
    }

    @Test
    void aPauseNotYetInTheStoreCannotResumeElsewhereAndOneThatIsWaitsForAHost() throws Exception {
        String notStored = sandbox("paused", null);
        assertThat(server.call("GET", "/v1/sandboxes/" + notStored, key, null).json().path("durable").asBoolean()).isFalse();

        Response refused = server.call("POST", "/v1/sandboxes/" + notStored + "/resume", key, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("snapshot_not_durable");
        assertThat(refused.errorMessage()).contains("is paused on host " + Ids.HOST.format(host))
                .contains("not in the object store yet");
        assertThat(state(notStored)).isEqualTo("paused");

        String stored = sandbox("paused", "sb-stored-1");
        assertThat(server.call("GET", "/v1/sandboxes/" + stored, key, null).json().path("durable").asBoolean()).isTrue();
        Response noHost = server.call("POST", "/v1/sandboxes/" + stored + "/resume", key, null);
        assertThat(noHost.status()).as("a host for it is looked for: there is none").isEqualTo(503);
        assertThat(state(stored)).isEqualTo("paused");
        String kept = db.withHandle(handle -> handle.createQuery("select stored_state_id from sandboxes where id = :id")
                .bind("id", uuid(stored)).mapTo(String.class).one());
        assertThat(kept).as("kept for the next try").isEqualTo("sb-stored-1");
    }

    private static String sandbox(String state, String storedStateId) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, host_id, stored_state_id)
                        values (:id, :team, :state, 1, 512, 300, :host, :stored)""")
                .bind("id", id).bind("team", team).bind("state", state).bind("host", host).bind("stored", storedStateId)
                .execute());
        return Ids.SANDBOX.format(id);
    }

    private static String snapshot(String sandbox, boolean durable, String error) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into snapshots (id, team_id, name, kind, state, sandbox_id, host_id, vcpus, memory_mb,
                                               disk_size_mb, durable, durable_error)
                        values (:id, :team, :name, 'snapshot', 'ready', :sandbox, :host, 1, 512, 5120, :durable, :error)""")
                .bind("id", id).bind("name", "s-" + id).bind("team", team).bind("sandbox", uuid(sandbox)).bind("host", host)
                .bind("durable", durable).bind("error", error).execute());
        return Ids.SNAPSHOT.format(id);
    }

    private static long sandboxesOf(String snapshot) {
        return db.withHandle(handle -> handle.createQuery("select count(*) from sandboxes where snapshot_id = :id")
                .bind("id", uuid(snapshot)).mapTo(Long.class).one());
    }

    private static String state(String sandbox) {
        return db.withHandle(handle -> handle.createQuery("select state from sandboxes where id = :id")
                .bind("id", uuid(sandbox)).mapTo(String.class).one());
    }

    private static UUID uuid(String wireId) {
        return UUID.fromString(wireId.substring(wireId.indexOf('-') + 1));
    }
}
