package dev.amber.server.quota;

import dev.amber.server.ServerFixture;
import dev.amber.server.ServerFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Quotas through real HTTP, on a server without hosts (the quotas' effect on sandboxes is tested with VMs in amber-it). */
class QuotaApiTest {

    private static ServerFixture server;
    private static String teamKey;
    private static String teamId;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.withoutHosts();
        teamKey = server.newTeamKey("quota-team");
        teamId = server.call("GET", "/v1/teams/me", teamKey, null).json().path("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void anAdminSetsATeamsQuotaAndTheTeamSeesItWithItsUsage() throws Exception {
        Response set = server.call("PUT", "/v1/admin/teams/" + teamId + "/quota", server.adminKey(),
                "{\"maxSandboxes\":3,\"maxRunningVcpus\":4,\"maxSnapshotGiB\":10}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("maxSandboxes").asInt()).isEqualTo(3);
        assertThat(set.json().path("maxMemoryMiB").isNull()).as("unset means no limit").isTrue();

        Response me = server.call("GET", "/v1/teams/me", teamKey, null);
        assertThat(me.json().path("quota").path("maxRunningVcpus").asInt()).isEqualTo(4);
        assertThat(me.json().path("quota").path("maxSnapshotGiB").asInt()).isEqualTo(10);
        assertThat(me.json().path("usage").path("sandboxes").asInt()).isZero();
        assertThat(me.json().path("usage").path("snapshotGiB").asDouble()).isZero();
    }

    @Test
    void aLimitOutOfRangeIsA400NamingIt() throws Exception {
        Response negative = server.call("PUT", "/v1/admin/teams/" + teamId + "/quota", server.adminKey(),
                "{\"maxMemoryMiB\":-1}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.errorMessage()).contains("maxMemoryMiB");

        Response huge = server.call("PUT", "/v1/admin/teams/" + teamId + "/quota", server.adminKey(),
                "{\"maxSnapshots\":2000000}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.errorMessage()).contains("maxSnapshots");
    }

    @Test
    void onlyAnAdminSetsQuotasAndOnlyOfTeamsThatExist() throws Exception {
        assertThat(server.call("PUT", "/v1/admin/teams/" + teamId + "/quota", teamKey, "{}").status())
                .isEqualTo(403);
        assertThat(server.call("PUT", "/v1/admin/teams/team-00000000-0000-0000-0000-0000000000ff/quota",
                server.adminKey(), "{}").status()).isEqualTo(404);
        assertThat(server.call("PUT", "/v1/admin/teams/nonsense/quota", server.adminKey(), "{}").status())
                .isEqualTo(404);
    }
}
