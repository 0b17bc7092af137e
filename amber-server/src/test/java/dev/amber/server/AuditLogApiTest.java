package dev.amber.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.server.ServerFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/audit-log} over real HTTP: what admins read, filtered and paged, and who may not. */
class AuditLogApiTest {

    private static ServerFixture server;
    private static String key;
    private static String teamId;
    private static Instant beforeKeys;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.withoutHosts();
        key = server.newTeamKey("audited");
        teamId = server.call("GET", "/v1/teams/me", key, null).json().path("id").asText();
        beforeKeys = Instant.now();
        String created = server.call("POST", "/v1/api-keys", key, "{\"name\":\"ci\"}").json().path("id").asText();
        server.call("DELETE", "/v1/api-keys/" + created, key, null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static JsonNode items(String query) throws Exception {
        Response response = server.call("GET", "/v1/audit-log" + query, server.adminKey(), null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("items");
    }

    private static List<String> actions(JsonNode items) {
        List<String> actions = new ArrayList<>();
        items.forEach(item -> actions.add(item.path("action").asText()));
        return actions;
    }

    @Test
    void adminsReadWhoDidWhatNewestFirst() throws Exception {
        JsonNode items = items("?team=" + teamId);

        assertThat(actions(items)).containsExactly("api-key.delete", "api-key.create");
        JsonNode created = items.get(1);
        assertThat(created.path("teamId").asText()).isEqualTo(teamId);
        assertThat(created.path("keyId").asText()).startsWith("key-");
        assertThat(created.path("resource").asText()).startsWith("key-");
        assertThat(created.path("outcome").asText()).isEqualTo("ok");
        assertThat(created.path("details").path("name").asText()).isEqualTo("ci");
        assertThat(Instant.parse(created.path("at").asText())).isAfterOrEqualTo(beforeKeys.minusSeconds(5));
    }

    @Test
    void filtersByActionAndTimeCombine() throws Exception {
        assertThat(actions(items("?action=team.create"))).containsOnly("team.create").isNotEmpty();
        assertThat(items("?action=team.create").get(0).path("resource").asText()).isEqualTo(teamId);
        assertThat(actions(items("?team=" + teamId + "&action=api-key.create"))).containsExactly("api-key.create");
        assertThat(items("?until=" + Instant.now().minusSeconds(3600))).isEmpty();
        assertThat(actions(items("?team=" + teamId + "&since=" + Instant.now().minusSeconds(3600)))).hasSize(2);
    }

    @Test
    void pagesLikeEveryOtherList() throws Exception {
        Response first = server.call("GET", "/v1/audit-log?team=" + teamId + "&pageSize=1", server.adminKey(), null);
        assertThat(actions(first.json().path("items"))).containsExactly("api-key.delete");
        assertThat(first.json().path("nextPage").asInt()).isEqualTo(1);

        Response second = server.call("GET", "/v1/audit-log?team=" + teamId + "&pageSize=1&page=1", server.adminKey(), null);
        assertThat(actions(second.json().path("items"))).containsExactly("api-key.create");
        assertThat(second.json().path("nextPage").isNull()).isTrue();
    }

    @Test
    void otherTeamsKeysGet403AndMalformedFiltersA400SayingWhatIsExpected() throws Exception {
        assertThat(server.call("GET", "/v1/audit-log", key, null).errorCode()).isEqualTo("forbidden");
        Map<String, String> malformed = Map.of("?team=audited", "team id (team-…)", "?since=yesterday", "ISO-8601 instant",
                "?pageSize=0", "pageSize must be between");
        for (Map.Entry<String, String> query : malformed.entrySet()) {
            Response refused = server.call("GET", "/v1/audit-log" + query.getKey(), server.adminKey(), null);
            assertThat(refused.status()).as(query.getKey()).isEqualTo(400);
            assertThat(refused.errorMessage()).contains(query.getValue());
        }
    }
}
