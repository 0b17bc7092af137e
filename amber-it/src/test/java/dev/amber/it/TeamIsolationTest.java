package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second team's key must learn nothing about a first team's objects, on every route the API
 * documents. The first teams are a plain team and the platform team (the admin's own work is
 * private like anyone's); their sandboxes, processes, checkpoints, snapshots, layers, patches,
 * templates, builds and keys are real, made on real VMs. Only published platform templates are
 * shared, and only through the template.
 */
class TeamIsolationTest {

    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(6);
    private static final String SECRET = "first team only";
    private static final String PUBLISHED = "isolation-shared";
    private static final Map<String, String> BODIES = Map.of(
            "PATCH /v1/sandboxes/{id}", "{\"metadata\":{\"owner\":\"stolen\"}}",
            "POST /v1/sandboxes/{id}/exec", "{\"cmd\":[\"touch\",\"/root/pwned\"]}",
            "POST /v1/sandboxes/{id}/files/mkdir", "{\"path\":\"/root/pwned-dir\"}",
            "POST /v1/sandboxes/{id}/files/move", "{\"from\":\"/root/secret.txt\",\"to\":\"/root/moved.txt\"}",
            "PUT /v1/sandboxes/{id}/network", "{\"internet\":false}",
            "POST /v1/sandboxes/{id}/fork", "{\"count\":1}",
            "POST /v1/sandboxes/{id}/snapshots", "{\"name\":\"stolen\"}",
            "POST /v1/sandboxes/{id}/processes/{pid}/signal", "{\"signal\":\"KILL\"}",
            "POST /v1/snapshots/{idOrName}/patches", "{\"script\":\"touch /root/pwned\"}");

    private static TestDeployment amber;
    private static Api api;
    private static String keyB;
    private static Owned teamA;
    private static Owned platform;
    private static String publishedSnapshot;

    /** What a first team owns, by the ids the routes take. */
    record Owned(String label, String key, String team, String sandbox, long pid, String checkpoint, String snapshot,
                 String snapshotName, String layer, int patch, String template, List<String> builds, String apiKey) {

        /** Everything that names one of the team's objects, which no answer to another team may contain. */
        List<String> identifiers() {
            List<String> all = new ArrayList<>(List.of(team, sandbox, checkpoint, snapshot, snapshotName, layer, template,
                    apiKey, SECRET));
            all.addAll(builds);
            return all;
        }

        /** The concrete paths of a documented route, one for each object of this team it can name. */
        List<String> paths(DocumentedRoute route) {
            List<String> subjects = switch (route.collection()) {
                case "sandboxes" -> List.of(sandbox);
                case "snapshots" -> List.of(snapshot, snapshotName, checkpoint, layer);
                case "templates" -> List.of(template);
                case "builds" -> builds;
                case "api-keys" -> List.of(apiKey);
                case "admin" -> List.of(team);
                default -> throw new AssertionError(route + ": this test does not know whose object its first "
                        + "parameter names; teach TeamIsolationTest.Owned.paths");
            };
            return subjects.stream().map(subject -> fill(route, route.path().replaceFirst("\\{[^}]+}", subject))).toList();
        }

        private String fill(DocumentedRoute route, String path) {
            String filled = path.replace("{cp}", checkpoint).replace("{pid}", Long.toString(pid))
                    .replace("{port}", "8000").replace("{path}", "index.html").replace("{seq}", Integer.toString(patch));
            if (filled.contains("{")) {
                throw new AssertionError(route + ": this test does not know the parameter in " + filled
                        + "; teach TeamIsolationTest.Owned.fill");
            }
            return filled + (route.path().contains("/files") && !BODIES.containsKey(route.toString())
                    ? "?path=/root/secret.txt" : "");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        String admin = amber.adminKey();
        String keyA = api.newTeam(admin, "isolation-a");
        keyB = api.newTeam(admin, "isolation-b");

        String publishedBuild = queueBuild(admin, "{\"name\":\"" + PUBLISHED + "\",\"platform\":true,\"steps\":"
                + "[{\"type\":\"run\",\"cmd\":\"echo shared > /opt/shared.txt\"}]}");
        String privateBuild = queueBuild(admin, "{\"name\":\"admin-import\",\"image\":{\"uri\":"
                + "\"oci-archive:/nonexistent/image.tar\"}}");
        assertThat(awaitBuild(admin, publishedBuild)).isEqualTo("succeeded");
        assertThat(awaitBuild(admin, privateBuild)).startsWith("failed");
        publishedSnapshot = call("GET", "/v1/templates/" + PUBLISHED, admin, null, 200).path("snapshotId").asText();
        // Team A's template starts from the published one: its builder is restored from the platform's snapshot.
        String buildA = queueBuild(keyA, "{\"name\":\"a-tools\",\"from\":\"" + PUBLISHED + "\",\"readyCmd\":"
                + "\"cat /opt/shared.txt\"}");
        assertThat(awaitBuild(keyA, buildA)).isEqualTo("succeeded");
        // One machine at a time: the host is shared and slow under TCG.
        Sandboxed sandboxA = sandboxWithWork(keyA, "team-a");
        Sandboxed sandboxP = sandboxWithWork(admin, "admin");

        teamA = sandboxA.owned(keyA, "a-tools", List.of(buildA));
        platform = sandboxP.owned(admin, "admin-import", List.of(publishedBuild, privateBuild));
    }

    @AfterAll
    static void stop() throws Exception {
        amber.close();
    }

    @Test
    void everyDocumentedRouteHidesTheFirstTeamsObjectsFromAnotherTeam() throws Exception {
        List<DocumentedRoute> parameterised = DocumentedRoute.all().stream()
                .filter(route -> !route.parameters().isEmpty()).toList();
        Set<String> walked = new LinkedHashSet<>();
        for (Owned first : List.of(teamA, platform)) {
            for (DocumentedRoute route : parameterised) {
                for (String path : first.paths(route)) {
                    assertHidden(first, route, path);
                }
                walked.add(route.toString());
            }
            assertUntouched(first);
        }
        assertThat(walked).as("every documented route with a path parameter")
                .containsExactlyInAnyOrderElementsOf(parameterised.stream().map(DocumentedRoute::toString).toList());
        assertThat(walked).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void listsShowAnotherTeamNoneOfTheFirstTeamsObjects() throws Exception {
        List<String> lists = new ArrayList<>();
        for (DocumentedRoute route : DocumentedRoute.all()) {
            if (route.method().equals("GET") && route.parameters().isEmpty() && route.authenticated()) {
                lists.add(route.path());
            }
        }
        lists.addAll(List.of("/v1/snapshots?kind=layer", "/v1/snapshots?kind=checkpoint",
                "/v1/snapshots?sandboxId=" + teamA.sandbox(), "/v1/snapshots?sandboxId=" + platform.sandbox(),
                "/v1/sandboxes?state=running", "/v1/templates?pageSize=500"));
        for (String path : lists) {
            Api.Response response = api.call("GET", path, keyB, null);
            assertThat(response.status()).as("GET " + path + " -> " + response.body()).isIn(200, 403);
            for (Owned first : List.of(teamA, platform)) {
                for (String identifier : first.identifiers()) {
                    assertThat(response.body()).as("GET " + path + " shows " + first.label() + "'s " + identifier)
                            .doesNotContain(identifier);
                }
            }
        }
    }

    @Test
    void sourcesOfAnotherTeamAreUnknownToCreatesAndBuilds() throws Exception {
        for (Owned first : List.of(teamA, platform)) {
            for (String snapshot : List.of(first.snapshot(), first.snapshotName(), first.checkpoint(), first.layer())) {
                Api.Response create = api.call("POST", "/v1/sandboxes", keyB, "{\"snapshotId\":\"" + snapshot + "\"}");
                assertThat(create.status()).as(create.body()).isEqualTo(404);
                assertThat(create.errorMessage()).isEqualTo("no snapshot " + snapshot);
            }
            Api.Response fromTemplate = api.call("POST", "/v1/sandboxes", keyB,
                    "{\"template\":\"" + first.template() + "\"}");
            assertThat(fromTemplate.status()).isEqualTo(422);
            assertThat(fromTemplate.errorMessage()).isEqualTo("unknown template \"" + first.template() + "\"");
            Api.Response build = api.call("POST", "/v1/templates", keyB,
                    "{\"name\":\"copied\",\"from\":\"" + first.template() + "\"}");
            assertThat(build.status()).isEqualTo(422);
            assertThat(build.errorMessage()).isEqualTo("unknown template \"" + first.template() + "\" in from");
        }
    }

    @Test
    void aPublishedTemplateStartsAnotherTeamsSandboxWithoutShowingItsSnapshot() throws Exception {
        JsonNode template = call("GET", "/v1/templates/" + PUBLISHED, keyB, null, 200);
        assertThat(template.path("platform").asBoolean()).isTrue();
        assertThat(template.path("snapshotId").asText()).isEqualTo(publishedSnapshot);
        assertThat(api.call("GET", "/v1/snapshots/" + publishedSnapshot, keyB, null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/snapshots/" + publishedSnapshot + "/patches", keyB, null).status()).isEqualTo(404);
        assertThat(api.call("POST", "/v1/sandboxes", keyB, "{\"snapshotId\":\"" + publishedSnapshot + "\"}").status())
                .isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/templates/" + PUBLISHED, keyB, null).status()).isEqualTo(403);

        String sandbox = call("POST", "/v1/sandboxes", keyB, "{\"template\":\"" + PUBLISHED + "\"}", 201)
                .path("id").asText();
        try {
            JsonNode read = call("POST", "/v1/sandboxes/" + sandbox + "/exec", keyB,
                    "{\"shell\":\"cat /opt/shared.txt\"}", 200);
            assertThat(read.path("stdout").asText()).isEqualTo("shared\n");
            // The admin may delete the platform's snapshot while another team's sandbox sits on it: that
            // sandbox runs on, untouched; the template starts nothing new.
            assertThat(api.call("DELETE", "/v1/snapshots/" + publishedSnapshot, amber.adminKey(), null).status())
                    .isEqualTo(204);
            assertThat(api.call("GET", "/v1/snapshots/" + publishedSnapshot, amber.adminKey(), null).status())
                    .isEqualTo(404);
            JsonNode again = call("POST", "/v1/sandboxes/" + sandbox + "/exec", keyB,
                    "{\"shell\":\"cat /opt/shared.txt\"}", 200);
            assertThat(again.path("stdout").asText()).isEqualTo("shared\n");
            Api.Response lost = api.call("POST", "/v1/sandboxes", keyB, "{\"template\":\"" + PUBLISHED + "\"}");
            assertThat(lost.status()).as(lost.body()).isEqualTo(409);
            assertThat(lost.errorMessage()).contains("has lost its snapshot; rebuild it");
        } finally {
            call("DELETE", "/v1/sandboxes/" + sandbox, keyB, null, 204);
        }
    }

    @Test
    void missingOrWrongKeysAre401EvenForRealSandboxes() throws Exception {
        assertThat(api.call("GET", "/v1/sandboxes/" + teamA.sandbox(), null, null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/v1/sandboxes/" + teamA.sandbox(), "amb_" + "x".repeat(40), null).status())
                .isEqualTo(401);
    }

    /** Team B's call answers 404 (403 for an admin route) and gives nothing of the first team's away. */
    private static void assertHidden(Owned first, DocumentedRoute route, String path) throws Exception {
        String what = first.label() + ": " + route.method() + " " + path;
        int expected = route.adminOnly() ? 403 : 404;
        if (route.webSocket()) {
            assertThat(handshakeStatus(path, keyB)).as("WebSocket " + what).isEqualTo(expected);
            return;
        }
        Api.Response response = route.method().equals("PUT") && route.path().endsWith("/files")
                ? api.send("PUT", path, keyB, HttpRequest.BodyPublishers.ofString("overwritten"), "application/octet-stream")
                : api.call(route.method(), path, keyB, BODIES.get(route.toString()));
        assertThat(response.status()).as(what + " -> " + response.body()).isEqualTo(expected);
        if (!route.method().equals("HEAD")) {
            assertThat(response.errorCode()).as(what).isEqualTo(expected == 404 ? "not_found" : "forbidden");
            assertThat(response.body()).as(what).doesNotContain(SECRET);
        }
    }

    /** The first team's objects are all there and as they were after the walk. */
    private static void assertUntouched(Owned first) throws Exception {
        String key = first.key();
        JsonNode sandbox = call("GET", "/v1/sandboxes/" + first.sandbox(), key, null, 200);
        assertThat(sandbox.path("state").asText()).isEqualTo("running");
        assertThat(sandbox.path("network").path("internet").asBoolean()).isTrue();
        assertThat(sandbox.path("metadata").path("owner").isMissingNode()).isTrue();
        // Calls into the guest are retried: on a loaded TCG host an agent can stay silent past the 30 s deadline (504).
        await().atMost(Duration.ofMinutes(3)).ignoreExceptions().untilAsserted(() -> {
            assertThat(api.call("GET", "/v1/sandboxes/" + first.sandbox() + "/files?path=/root/secret.txt", key, null)
                    .body()).isEqualTo(SECRET);
            JsonNode probe = call("POST", "/v1/sandboxes/" + first.sandbox() + "/exec", key, "{\"shell\":\"ls /root\"}",
                    200);
            assertThat(probe.path("stdout").asText()).doesNotContain("pwned").doesNotContain("moved");
            assertThat(call("GET", "/v1/sandboxes/" + first.sandbox() + "/processes", key, null, 200).path("items"))
                    .anySatisfy(process -> {
                        assertThat(process.path("pid").asLong()).isEqualTo(first.pid());
                        assertThat(process.path("state").asText()).isEqualTo("running");
                    });
        });
        for (String snapshot : List.of(first.snapshot(), first.checkpoint(), first.layer())) {
            call("GET", "/v1/snapshots/" + snapshot, key, null, 200);
        }
        assertThat(call("GET", "/v1/snapshots/" + first.snapshot() + "/patches", key, null, 200)).hasSize(1);
        call("GET", "/v1/templates/" + first.template(), key, null, 200);
        for (String build : first.builds()) {
            call("GET", "/v1/builds/" + build, key, null, 200);
        }
        assertThat(call("GET", "/v1/api-keys", key, null, 200).toString()).contains(first.apiKey());
    }

    /** A running sandbox of the key's team with a file, a background process, a checkpoint, a snapshot and a patch. */
    private record Sandboxed(String label, String sandbox, long pid, String checkpoint, String snapshot,
                             String snapshotName, int patch, String apiKey) {

        Owned owned(String key, String template, List<String> builds) throws Exception {
            String team = call("GET", "/v1/teams/me", key, null, 200).path("id").asText();
            JsonNode layers = call("GET", "/v1/snapshots?kind=layer", key, null, 200).path("items");
            assertThat(layers).as(label + "'s build layers").isNotEmpty();
            return new Owned(label, key, team, sandbox, pid, checkpoint, snapshot, snapshotName,
                    layers.get(0).path("snapshotId").asText(), patch, template, builds, apiKey);
        }
    }

    private static Sandboxed sandboxWithWork(String key, String label) throws Exception {
        String sandbox = api.newSandbox(key);
        assertThat(api.send("PUT", "/v1/sandboxes/" + sandbox + "/files?path=/root/secret.txt", key,
                HttpRequest.BodyPublishers.ofString(SECRET), "application/octet-stream").status()).isEqualTo(200);
        long pid;
        try (HttpClient http = HttpClient.newHttpClient();
             ProcessSocketClient exec = ProcessSocketClient.connect(http,
                     amber.url() + "/v1/sandboxes/" + sandbox + "/exec/stream", key)) {
            exec.sendJson("{\"shell\":\"sleep 3600\",\"background\":true,\"tag\":\"private\"}");
            pid = exec.awaitFrame("started", Duration.ofSeconds(60)).path("process").path("pid").asLong();
        }
        String checkpoint = call("POST", "/v1/sandboxes/" + sandbox + "/checkpoints", key, null, 201)
                .path("snapshotId").asText();
        String name = label + "-private";
        String snapshot = call("POST", "/v1/sandboxes/" + sandbox + "/snapshots", key, "{\"name\":\"" + name + "\"}", 201)
                .path("snapshotId").asText();
        int patch = call("POST", "/v1/snapshots/" + snapshot + "/patches", key, "{\"script\":\"true\"}", 201)
                .path("sequence").asInt();
        String apiKey = call("POST", "/v1/api-keys", key, "{\"name\":\"" + label + "-second\"}", 201).path("id").asText();
        return new Sandboxed(label, sandbox, pid, checkpoint, snapshot, name, patch, apiKey);
    }

    private static String queueBuild(String key, String recipe) throws Exception {
        return call("POST", "/v1/templates", key, recipe, 202).path("buildId").asText();
    }

    /** How the build ended, with its error if any. */
    private static String awaitBuild(String key, String build) {
        JsonNode ended = await().atMost(BUILD_DEADLINE).pollInterval(Duration.ofSeconds(1))
                .until(() -> call("GET", "/v1/builds/" + build, key, null, 200),
                        view -> !view.path("status").asText().matches("queued|running"));
        return ended.path("status").asText() + (ended.path("error").isTextual() ? ": " + ended.path("error").asText() : "");
    }

    private static JsonNode call(String method, String path, String key, String body, int expectedStatus)
            throws Exception {
        return api.expect(method, path, key, body, expectedStatus);
    }

    @Test
    void aTeamSeesOnlyItsOwnUsageAndCannotSetAnyQuota() throws Exception {
        assertThat(api.call("PUT", "/v1/admin/teams/" + teamA.team() + "/quota", keyB, "{\"maxSandboxes\":0}").status())
                .isEqualTo(403);
        assertThat(api.call("GET", "/v1/teams/me", keyB, null).json().path("usage").path("sandboxes").asInt()).isZero();
        assertThat(api.call("GET", "/v1/teams/me", teamA.key(), null).json().path("quota").path("maxSandboxes").isNull())
                .as("team A's quota is untouched").isTrue();
    }

    @Test
    void theAuditLogIsReadByAdminsOnlyAndRecordsTheSandboxOfTeamA() throws Exception {
        for (String key : List.of(teamA.key(), keyB)) {
            Api.Response refused = api.call("GET", "/v1/audit-log", key, null);
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain(teamA.sandbox());
        }

        JsonNode created = api.call("GET", "/v1/audit-log?action=sandbox.create&team=" + teamA.team(), amber.adminKey(),
                null).json().path("items");
        assertThat(created.findValuesAsText("resource")).as(created.toString()).contains(teamA.sandbox());
        assertThat(created.findValuesAsText("outcome")).as(created.toString()).containsOnly("ok");
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
}
