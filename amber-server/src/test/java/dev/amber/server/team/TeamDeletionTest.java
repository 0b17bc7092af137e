package dev.amber.server.team;

import dev.amber.host.grpc.HostLink;
import dev.amber.server.Ids;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerFixture.Response;
import dev.amber.server.host.StubCluster;
import dev.amber.server.host.StubHost;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Team deletion against a {@link StubCluster}: a control plane whose host is a {@link StubHost} (a real link, no VMs):
 * the team's objects are recorded as the API would leave them, and the host is checked for what it
 * was told to remove, at once or when it comes back.
 */
class TeamDeletionTest {

    /** The tables that hold a team's rows. */
    private static final List<String> TEAM_TABLES = List.of("api_keys", "sandboxes", "snapshots", "templates",
            "builds", "build_layers", "team_quotas", "users");

    private static StubCluster cluster;
    private static ServerFixture server;
    private static StubHost host;

    @BeforeAll
    static void start() throws Exception {
        cluster = StubCluster.start();
        server = cluster.server();
        host = cluster.host();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void deletingATeamRemovesItsRowsAndItsFilesOnItsHost() throws Exception {
        try (HostLink link = cluster.link("deletion-a")) {
            Team team = team("deletion-a");
            Owned owned = ownedOn(team, link.hostId());
            assertThat(server.call("PUT", "/v1/admin/teams/" + team.id() + "/quota", server.adminKey(),
                    "{\"maxSandboxes\": 5}").status()).isEqualTo(200);

            Response deleted = server.call("DELETE", "/v1/admin/teams/" + team.id(), server.adminKey(), null);

            assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
            assertThat(host.removed()).containsAll(owned.all());
            assertNoRowsOf(team);
            assertThat(server.call("GET", "/v1/teams/me", team.key(), null).status()).isEqualTo(401);
            assertThat(server.call("DELETE", "/v1/admin/teams/" + team.id(), server.adminKey(), null).status())
                    .isEqualTo(404);
            Response audit = server.call("GET", "/v1/audit-log?action=team.delete", server.adminKey(), null);
            assertThat(audit.body()).contains(team.id());
        }
    }

    @Test
    void aHostThatIsAwayRemovesTheTeamsFilesWhenItRegistersAgain() throws Exception {
        Team team = team("deletion-b");
        Owned owned;
        String hostId;
        try (HostLink link = cluster.link("deletion-b")) {
            hostId = link.hostId();
            owned = ownedOn(team, hostId);
        }
        UUID hostUuid = Ids.HOST.parse(hostId).orElseThrow();
        await(() -> !server.server().hosts().reachable(hostUuid));

        Response deleted = server.call("DELETE", "/v1/admin/teams/" + team.id(), server.adminKey(), null);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertNoRowsOf(team);
        assertThat(host.removed()).doesNotContainAnyElementsOf(owned.all());
        assertThat(cleanupsOf(hostUuid)).isEqualTo(owned.all().size());
        try (HostLink back = cluster.link("deletion-b")) {
            await(() -> host.removed().containsAll(owned.all()));
            await(() -> cleanupsOf(hostUuid) == 0);
        }
    }

    @Test
    void thePlatformTeamCannotBeDeletedAndTeamsCannotDeleteTeams() throws Exception {
        Team team = team("deletion-c");
        Response platform = server.call("DELETE", "/v1/admin/teams/" + Ids.TEAM.format(Ids.PLATFORM_TEAM),
                server.adminKey(), null);
        assertThat(platform.status()).isEqualTo(409);
        assertThat(platform.errorMessage()).contains("platform team");
        assertThat(server.call("DELETE", "/v1/admin/teams/" + team.id(), team.key(), null).status()).isEqualTo(403);
        assertThat(server.call("DELETE", "/v1/admin/teams/team-" + UUID.randomUUID(), server.adminKey(), null).status())
                .isEqualTo(404);
        assertThat(server.call("DELETE", "/v1/admin/teams/nonsense", server.adminKey(), null).status()).isEqualTo(404);
        assertThat(server.call("GET", "/v1/teams/me", team.key(), null).status()).as("untouched").isEqualTo(200);
    }

    // ---- helpers ----

    private record Team(String id, String key) {
        UUID uuid() {
            return Ids.TEAM.parse(id).orElseThrow();
        }
    }

    /** What a team has on a host: a paused sandbox, its snapshot and checkpoint, a template image. */
    private record Owned(String sandbox, String snapshot, String checkpoint, String image) {
        List<String> all() {
            return List.of(sandbox, snapshot, checkpoint, image);
        }
    }

    private static Team team(String name) throws Exception {
        String key = server.newTeamKey(name);
        return new Team(server.call("GET", "/v1/teams/me", key, null).json().path("id").asText(), key);
    }

    /** The team's objects recorded on {@code hostId} as the API leaves them; the host lists the sandbox. */
    private static Owned ownedOn(Team team, String hostId) {
        UUID hostUuid = Ids.HOST.parse(hostId).orElseThrow();
        UUID sandbox = UUID.randomUUID();
        UUID snapshot = UUID.randomUUID();
        UUID checkpoint = UUID.randomUUID();
        UUID image = UUID.randomUUID();
        host.holdPaused(Ids.SANDBOX.format(sandbox));
        jdbi().useTransaction(handle -> {
            handle.createUpdate("""
                            insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, host_id)
                            values (:id, :team, 'paused', 1, 512, 0, :host)""")
                    .bind("id", sandbox).bind("team", team.uuid()).bind("host", hostUuid).execute();
            for (UUID saved : List.of(snapshot, checkpoint)) {
                handle.createUpdate("""
                                insert into snapshots (id, team_id, kind, state, sandbox_id, host_id, vcpus, memory_mb,
                                                       disk_size_mb)
                                values (:id, :team, :kind, 'ready', :sandbox, :host, 1, 512, 5120)""")
                        .bind("id", saved).bind("kind", saved == snapshot ? "snapshot" : "checkpoint")
                        .bind("team", team.uuid()).bind("sandbox", sandbox).bind("host", hostUuid).execute();
            }
            handle.createUpdate("""
                            insert into templates (id, team_id, name, kind, vcpus, memory_mb, snapshot_id, image_id, host_id)
                            values (:id, :team, 'mine', 'image', 1, 512, :snapshot, :image, :host)""")
                    .bind("id", UUID.randomUUID()).bind("team", team.uuid()).bind("snapshot", snapshot)
                    .bind("image", image).bind("host", hostUuid).execute();
        });
        return new Owned(Ids.SANDBOX.format(sandbox), Ids.SNAPSHOT.format(snapshot), Ids.SNAPSHOT.format(checkpoint),
                Ids.IMAGE.format(image));
    }

    private static void assertNoRowsOf(Team team) {
        for (String table : TEAM_TABLES) {
            assertThat(count("select count(*) from " + table + " where team_id = :id", team.uuid())).as(table).isZero();
        }
        assertThat(count("select count(*) from teams where id = :id", team.uuid())).as("teams").isZero();
    }

    private static long count(String sql, UUID id) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).bind("id", id).mapTo(Long.class).one());
    }

    private static long cleanupsOf(UUID hostId) {
        return count("select count(*) from host_cleanups where host_id = :id", hostId);
    }

    private static Jdbi jdbi() {
        return server.database().jdbi();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 15 s").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
