package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Team B's key must learn nothing about team A's sandbox, on every route the API documents. */
class TeamIsolationTest {

    private static final Map<String, String> BODIES = Map.of(
            "/v1/sandboxes/{id}/exec", "{\"cmd\":[\"touch\",\"/root/pwned\"]}",
            "/v1/sandboxes/{id}/files/mkdir", "{\"path\":\"/root/pwned-dir\"}",
            "/v1/sandboxes/{id}/files/move", "{\"from\":\"/root/secret.txt\",\"to\":\"/root/moved.txt\"}",
            "/v1/sandboxes/{id}/network", "{\"internet\":false}",
            "/v1/sandboxes/{id}/fork", "{\"count\":1}",
            "/v1/sandboxes/{id}/snapshots", "{\"name\":\"stolen\"}",
            "/v1/sandboxes/{id}/processes/{pid}/signal", "{\"signal\":\"KILL\"}");

    private static TestDeployment amber;
    private static Api api;
    private static String keyA;
    private static String keyB;
    private static String sandboxA;

    @BeforeAll
    static void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        keyA = api.newTeam(amber.adminKey(), "isolation-a");
        keyB = api.newTeam(amber.adminKey(), "isolation-b");
        sandboxA = api.newSandbox(keyA);
        assertThat(api.send("PUT", "/v1/sandboxes/" + sandboxA + "/files?path=/root/secret.txt", keyA,
                HttpRequest.BodyPublishers.ofString("team A only"), "application/octet-stream").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        amber.close();
    }

    @Test
    void everySandboxRouteAnswers404ToAnotherTeam() throws Exception {
        List<String[]> routes = documentedSandboxRoutes();
        assertThat(routes).hasSizeGreaterThanOrEqualTo(10);

        for (String[] route : routes) {
            String method = route[0];
            String path = route[1].replace("{id}", sandboxA).replace("{cp}", "snap-" + UUID.randomUUID())
                    .replace("{port}", "8000").replace("{path}", "index.html").replace("{pid}", "1")
                    + (route[1].contains("/files") && !BODIES.containsKey(route[1])
                    ? "?path=/root/secret.txt" : "");
            if (route[2] != null) {
                assertThat(handshakeStatus(path, keyB)).as("WebSocket " + path).isEqualTo(404);
                continue;
            }
            Api.Response response = method.equals("PUT") && route[1].endsWith("/files")
                    ? api.send(method, path, keyB, HttpRequest.BodyPublishers.ofString("overwritten"), "application/octet-stream")
                    : api.call(method, path, keyB, BODIES.get(route[1]));
            assertThat(response.status()).as(method + " " + path + " -> " + response.body()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("not_found");
            assertThat(response.body()).doesNotContain("team A only");
        }

        assertThat(api.call("GET", "/v1/sandboxes", keyB, null).json().path("items")).isEmpty();
        JsonNode stillThere = api.call("GET", "/v1/sandboxes/" + sandboxA, keyA, null).json();
        assertThat(stillThere.path("state").asText()).isEqualTo("running");
        assertThat(stillThere.path("network").path("internet").asBoolean()).isTrue();
        assertThat(api.call("GET", "/v1/sandboxes/" + sandboxA + "/files?path=/root/secret.txt", keyA, null).body())
                .isEqualTo("team A only");
        Api.Response probe = api.call("POST", "/v1/sandboxes/" + sandboxA + "/exec", keyA,
                "{\"shell\":\"ls /root\"}");
        assertThat(probe.json().path("stdout").asText()).doesNotContain("pwned").doesNotContain("moved");
    }

    @Test
    void missingOrWrongKeysAre401EvenForRealSandboxes() throws Exception {
        assertThat(api.call("GET", "/v1/sandboxes/" + sandboxA, null, null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/v1/sandboxes/" + sandboxA, "amb_" + "x".repeat(40), null).status()).isEqualTo(401);
    }

    @Test
    void aTeamSeesOnlyItsOwnUsageAndCannotSetAnyQuota() throws Exception {
        String teamA = api.call("GET", "/v1/teams/me", keyA, null).json().path("id").asText();

        assertThat(api.call("PUT", "/v1/admin/teams/" + teamA + "/quota", keyB, "{\"maxSandboxes\":0}").status())
                .isEqualTo(403);
        assertThat(api.call("GET", "/v1/teams/me", keyB, null).json().path("usage").path("sandboxes").asInt()).isZero();
        assertThat(api.call("GET", "/v1/teams/me", keyA, null).json().path("quota").path("maxSandboxes").isNull())
                .as("team A's quota is untouched").isTrue();
    }

    @Test
    void theAuditLogIsReadByAdminsOnlyAndRecordsTheSandboxOfTeamA() throws Exception {
        for (String key : List.of(keyA, keyB)) {
            Api.Response refused = api.call("GET", "/v1/audit-log", key, null);
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain(sandboxA);
        }

        String teamA = api.call("GET", "/v1/teams/me", keyA, null).json().path("id").asText();
        JsonNode created = api.call("GET", "/v1/audit-log?action=sandbox.create&team=" + teamA, amber.adminKey(), null)
                .json().path("items");
        assertThat(created).hasSize(1);
        assertThat(created.get(0).path("resource").asText()).isEqualTo(sandboxA);
        assertThat(created.get(0).path("outcome").asText()).isEqualTo("ok");
    }

    /** The status a WebSocket handshake to {@code path} is refused with (101 if it is accepted). */
    private static int handshakeStatus(String path, String key) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.newWebSocketBuilder().header("X-API-Key", key)
                    .buildAsync(URI.create(amber.url().replace("http://", "ws://") + path), new WebSocket.Listener() { })
                    .get(30, TimeUnit.SECONDS).abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Every operation under /v1/sandboxes/{id}, from openapi.yaml, so a new route is covered the day it appears. */
    private static List<String[]> documentedSandboxRoutes() throws Exception {
        List<String[]> routes = new ArrayList<>();
        try (InputStream in = TeamIsolationTest.class.getResourceAsStream("/dev/amber/api/openapi.yaml")) {
            JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
            paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (path.getKey().startsWith("/v1/sandboxes/{id}")
                        && List.of("get", "put", "post", "delete", "patch").contains(operation.getKey())) {
                    boolean webSocket = operation.getValue().path("responses").has("101");
                    routes.add(new String[] {operation.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                            webSocket ? "websocket" : null});
                }
            }));
        }
        return routes;
    }
}
