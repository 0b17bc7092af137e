package dev.amber.server.cluster;

import dev.amber.proto.link.JoinToken;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Making join tokens over HTTP: who may, for which hosts, and for how long. */
class JoinRoutesTest {

    private static ServerFixture server;

    @BeforeAll
    static void start() throws IOException {
        server = ServerFixture.withoutHosts();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void anAdminTokenCarriesTheClusterFingerprintAndLastsAnHourByDefault() throws Exception {
        Response created = server.call("POST", "/v1/admin/hosts/tokens", server.adminKey(), null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JoinToken token = JoinToken.parse(created.json().path("token").asText());
        assertThat(token.caFingerprint()).isEqualTo(server.authority().fingerprint());
        assertThat(Instant.parse(created.json().path("expiresAt").asText()))
                .isCloseTo(Instant.now().plus(Duration.ofHours(1)), within(Duration.ofMinutes(1)));

        Response shorter = server.call("POST", "/v1/admin/hosts/tokens", server.adminKey(), "{\"ttlSec\": 600}");
        assertThat(shorter.status()).isEqualTo(201);
        assertThat(Instant.parse(shorter.json().path("expiresAt").asText()))
                .isCloseTo(Instant.now().plus(Duration.ofMinutes(10)), within(Duration.ofMinutes(1)));
        assertThat(shorter.json().path("token").asText()).isNotEqualTo(created.json().path("token").asText());
    }

    @Test
    void aTtlOutsideOneSecondToSevenDaysIsABadRequest() throws Exception {
        for (String body : new String[] {"{\"ttlSec\": 0}", "{\"ttlSec\": -5}", "{\"ttlSec\": 604801}", "{\"ttlSec\": \"soon\"}",
                "[]"}) {
            Response refused = server.call("POST", "/v1/admin/hosts/tokens", server.adminKey(), body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("bad_request");
        }
        assertThat(server.call("POST", "/v1/admin/hosts/tokens", server.adminKey(), "{\"ttlSec\": 604800}").status())
                .isEqualTo(201);
    }

    @Test
    void onlyAnAdminMakesPlatformHostTokens() throws Exception {
        assertThat(server.call("POST", "/v1/admin/hosts/tokens", null, null).status()).isEqualTo(401);
        assertThat(server.call("POST", "/v1/admin/hosts/tokens", "amb_not-a-key", null).status()).isEqualTo(401);
        Response team = server.call("POST", "/v1/admin/hosts/tokens", server.newTeamKey("not-admin"), null);
        assertThat(team.status()).isEqualTo(403);
    }

    @Test
    void aTeamMakesHostTokensOnlyWithByoc() throws Exception {
        Response created = server.call("POST", "/v1/admin/teams", server.adminKey(), "{\"name\":\"byoc-team\"}");
        String teamId = created.json().path("team").path("id").asText();
        String key = created.json().path("apiKey").path("secret").asText();

        Response refused = server.call("POST", "/v1/hosts/tokens", key, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorMessage()).contains("may not bring its own hosts");

        assertThat(server.call("PUT", "/v1/admin/teams/" + teamId + "/byoc", key, "{\"enabled\": true}").status())
                .isEqualTo(403);
        Response enabled = server.call("PUT", "/v1/admin/teams/" + teamId + "/byoc", server.adminKey(), "{\"enabled\": true}");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
        assertThat(server.call("POST", "/v1/hosts/tokens", key, "{\"ttlSec\": 60}").status()).isEqualTo(201);
        int teamTokens = server.database().jdbi().withHandle(handle -> handle.createQuery(
                        "select count(*) from host_join_tokens where team_id = cast(:team as uuid)")
                .bind("team", teamId.substring("team-".length())).mapTo(Integer.class).one());
        assertThat(teamTokens).isEqualTo(1);

        server.call("PUT", "/v1/admin/teams/" + teamId + "/byoc", server.adminKey(), "{\"enabled\": false}");
        assertThat(server.call("POST", "/v1/hosts/tokens", key, null).status()).isEqualTo(403);
    }

    @Test
    void byocNeedsAKnownTeamAndABoolean() throws Exception {
        assertThat(server.call("PUT", "/v1/admin/teams/team-00000000-0000-0000-0000-00000000beef/byoc", server.adminKey(),
                "{\"enabled\": true}").status()).isEqualTo(404);
        assertThat(server.call("PUT", "/v1/admin/teams/nonsense/byoc", server.adminKey(), "{\"enabled\": true}").status())
                .isEqualTo(404);
        Response created = server.call("POST", "/v1/admin/teams", server.adminKey(), "{\"name\":\"byoc-bad\"}");
        String teamId = created.json().path("team").path("id").asText();
        assertThat(server.call("PUT", "/v1/admin/teams/" + teamId + "/byoc", server.adminKey(), "{}").status()).isEqualTo(400);
        assertThat(server.call("PUT", "/v1/admin/teams/" + teamId + "/byoc", server.adminKey(), "{\"enabled\": \"yes\"}")
                .status()).isEqualTo(400);
    }

    @Test
    void tokensAndByocChangesAreAudited() throws Exception {
        server.call("POST", "/v1/admin/hosts/tokens", server.adminKey(), null);
        Response log = server.call("GET", "/v1/audit-log?action=host.token.create", server.adminKey(), null);
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.json().path("items")).isNotEmpty();
        assertThat(log.body()).doesNotContain("amberjoin_");
    }
}
