package dev.amber.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hostId} on create with a real deployment: an admin pins the local host (a platform host)
 * and the sandbox runs there; a team may pin only its own hosts, so for it the same host does not
 * exist, and neither does a host id nobody has.
 */
class HostPinningTest {

    private static TestDeployment amber;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
    }

    @AfterAll
    static void stop() throws Exception {
        amber.close();
    }

    @Test
    void anAdminPinsThePlatformHostWhileForATeamItIsAnUnknownHost() throws Exception {
        String host = api.call("GET", "/v1/hosts", amber.adminKey(), null).json().path("items").get(0).path("id").asText();
        String pinned = "{\"hostId\": \"" + host + "\"}";

        Api.Response created = api.call("POST", "/v1/sandboxes", amber.adminKey(), pinned);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("hostId").asText()).isEqualTo(host);

        String team = api.newTeam(amber.adminKey(), "pins-nothing");
        Api.Response refused = api.call("POST", "/v1/sandboxes", team, pinned);
        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(refused.errorMessage()).isEqualTo("unknown host " + host);
        Api.Response unknown = api.call("POST", "/v1/sandboxes", amber.adminKey(),
                "{\"hostId\": \"host-00000000-0000-0000-0000-000000000019\"}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/sandboxes?state=all", team, null).json().path("items")).as("a refused pin leaves nothing").isEmpty();

        assertThat(api.call("DELETE", "/v1/sandboxes/" + created.json().path("id").asText(), amber.adminKey(), null)
                .status()).isEqualTo(204);
    }
}
