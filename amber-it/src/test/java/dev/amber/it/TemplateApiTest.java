package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Templates built from recipes through the public API, on real VMs: a snapshot template whose
 * sandboxes start with its HTTP server already answering, a rebuild that reuses the layers of the
 * unchanged steps, the build's log followed live, and platform templates that every team uses and
 * only admins delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemplateApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(5);
    /** A Debian package made and installed in the guest: the recipe's "install a package" step, offline. */
    private static final String INSTALL_PACKAGE = "mkdir -p /tmp/pkg/DEBIAN /tmp/pkg/usr/local/bin"
            + " && printf 'Package: amber-hello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: Amber <a@b.c>\\n"
            + "Description: test package\\n' > /tmp/pkg/DEBIAN/control"
            + " && printf '#!/bin/sh\\necho hello from a package\\n' > /tmp/pkg/usr/local/bin/amber-hello"
            + " && chmod 755 /tmp/pkg/usr/local/bin/amber-hello"
            + " && dpkg-deb --build /tmp/pkg /tmp/amber-hello.deb && dpkg -i /tmp/amber-hello.deb";
    private static final String READY = "python3 -c \"import urllib.request; "
            + "urllib.request.urlopen('http://127.0.0.1:8000/index.html')\"";

    private TestDeployment amber;
    private Api api;
    private String key;
    private final List<String> sandboxes = new ArrayList<>();
    private double firstBuildMillis;

    @BeforeAll
    void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "template-users");
    }

    @AfterAll
    void stop() throws Exception {
        for (String sandbox : sandboxes) {
            api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null);
        }
        amber.close();
    }

    @Test
    @Order(1)
    void aRecipeIsRefusedWithAMessageNamingWhatIsWrong() throws Exception {
        assertError(build(key, Map.of("name", "Bad Name")), 400, "name must be");
        assertError(build(key, Map.of("name", "t", "steps", List.of(Map.of("type", "paint")))), 400,
                "steps[0]: unknown type \"paint\"");
        assertError(build(key, Map.of("name", "t", "steps", List.of(Map.of("type", "copy", "path", "/x")))), 400,
                "steps[0]: a copy step needs content");
        assertError(build(key, Map.of("name", "t", "steps", List.of(Map.of("type", "workdir", "path", "rel")))), 400,
                "steps[0]: path must be absolute");
        assertError(build(key, Map.of("name", "t", "from", "nowhere")), 422, "unknown template \"nowhere\"");
        assertError(build(key, Map.of("name", "t", "platform", true)), 403, "admin");
        assertError(build(key, Map.of("name", "t", "kind", "image", "readyCmd", "true")), 400,
                "readyCmd is for kind \"snapshot\"");
        assertThat(call(key, "GET", "/v1/templates", null, 200).path("items").findValuesAsText("name"))
                .containsExactly("base");
    }

    @Test
    @Order(2)
    void aSnapshotTemplateStartsSandboxesWithItsServerAlreadyAnswering() throws Exception {
        JsonNode queued = call(key, "POST", "/v1/templates", JSON.writeValueAsString(webRecipe("v1")), 202);
        String buildId = queued.path("buildId").asText();
        assertThat(queued.path("status").asText()).isIn("queued", "running");
        assertThat(queued.path("steps")).hasSize(6);
        PrometheusText metrics = PrometheusText.parse(api.call("GET", "/metrics", null, null).body());
        assertThat(metrics.value("amber_builds", Map.of("status", "queued"))
                + metrics.value("amber_builds", Map.of("status", "running"))).as("builds waiting or running").isEqualTo(1);

        List<JsonNode> followed = followLog(buildId);
        JsonNode built = awaitBuild(buildId);

        assertThat(built.path("status").asText()).as(built.toString()).isEqualTo("succeeded");
        assertThat(built.path("steps").findValuesAsText("status")).containsOnly("done");
        firstBuildMillis = durationMillis(built);
        assertThat(followed.getLast().path("status").asText()).as("the follower's end event").isEqualTo("succeeded");
        String log = String.join("", followed.subList(0, followed.size() - 1).stream()
                .map(line -> line.path("text").asText()).toList());
        assertThat(log).contains("step 3 run", "Setting up amber-hello", "template web ready");
        JsonNode template = call(key, "GET", "/v1/templates/web", null, 200);
        assertThat(template.path("state").asText()).isEqualTo("ready");
        assertThat(template.path("kind").asText()).isEqualTo("snapshot");

        String sandbox = create("{\"template\":\"web\"}");
        HttpResponse<String> page = proxied(sandbox, "/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("made by a template v1");
        assertThat(shell(sandbox, "amber-hello; cat /srv/greeting /srv/copied.txt"))
                .isEqualTo("hello from a package\nhi\ncopied");
        assertThat(call(key, "GET", "/v1/sandboxes/" + sandbox, null, 200).path("template").asText()).isEqualTo("web");
    }

    @Test
    @Order(3)
    void aRebuildWithTheLastStepChangedReusesTheLayersOfTheOthers() throws Exception {
        String buildId = call(key, "POST", "/v1/templates", JSON.writeValueAsString(webRecipe("v2")), 202)
                .path("buildId").asText();
        JsonNode built = awaitBuild(buildId);

        assertThat(built.path("status").asText()).as(built.toString()).isEqualTo("succeeded");
        assertThat(built.path("steps").findValuesAsText("status"))
                .containsExactly("cached", "cached", "cached", "cached", "done", "done");
        System.out.println("template build: first " + firstBuildMillis + " ms, rebuild with 4 of 5 steps cached "
                + durationMillis(built) + " ms");
        String logs = call(key, "GET", "/v1/builds/" + buildId + "/logs", null, 200).findValuesAsText("text").toString();
        assertThat(logs).contains("steps 0-3 cached").doesNotContain("Setting up amber-hello");

        String sandbox = create("{\"template\":\"web\"}");
        assertThat(proxied(sandbox, "/index.html").body()).isEqualTo("made by a template v2");
        String snapshotId = call(key, "GET", "/v1/templates/web", null, 200).path("snapshotId").asText();

        assertThat(api.call("DELETE", "/v1/templates/web", key, null).status()).as("while 2 sandboxes run from it")
                .isEqualTo(204);

        assertThat(api.call("GET", "/v1/templates/web", key, null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/snapshots/" + snapshotId, key, null).status()).isEqualTo(404);
        assertError(api.call("POST", "/v1/sandboxes", key, "{\"template\":\"web\"}"), 422, "unknown template \"web\"");
        assertThat(proxied(sandbox, "/index.html").body()).as("its sandboxes run on").isEqualTo("made by a template v2");
        Path files = amber.data().resolve("snapshots").resolve(snapshotId);
        assertThat(files).as("its snapshot, kept for the sandbox on it").isDirectory();
        assertThat(api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null).status()).isEqualTo(204);
        sandboxes.remove(sandbox);
        assertThat(files).as("collected with its last user").doesNotExist();
    }

    @Test
    @Order(4)
    void aPlatformTemplateServesEveryTeamAndOnlyAnAdminDeletesIt() throws Exception {
        String admin = amber.adminKey();
        Map<String, Object> recipe = Map.of("name", "tools", "platform", true,
                "steps", List.of(Map.of("type", "run", "cmd", "echo shared > /opt/shared.txt; echo early; sleep 3; echo late")));
        String buildId = call(admin, "POST", "/v1/templates", JSON.writeValueAsString(recipe), 202).path("buildId").asText();
        assertThat(api.call("GET", "/v1/builds/" + buildId, key, null).status()).as("another team's build").isEqualTo(404);
        assertThat(awaitBuild(admin, buildId).path("status").asText()).isEqualTo("succeeded");
        // A step's output reaches the log while the step runs, not when it ends.
        JsonNode logs = call(admin, "GET", "/v1/builds/" + buildId + "/logs", null, 200);
        JsonNode early = find(logs, "early\n");
        JsonNode late = find(logs, "late\n");
        assertThat(Duration.between(Instant.parse(early.path("at").asText()), Instant.parse(late.path("at").asText())))
                .isGreaterThan(Duration.ofSeconds(2));

        JsonNode listed = call(key, "GET", "/v1/templates/tools", null, 200);
        assertThat(listed.path("platform").asBoolean()).isTrue();
        String snapshotId = listed.path("snapshotId").asText();
        assertError(api.call("DELETE", "/v1/templates/tools", key, null), 403, "platform template");
        assertThat(amber.data().resolve("snapshots").resolve(snapshotId)).as("its files").isDirectory();
        String sandbox = create("{\"template\":\"tools\"}");
        assertThat(shell(sandbox, "cat /opt/shared.txt")).isEqualTo("shared\n");
        assertThat(call(admin, "GET", "/v1/admin/templates", null, 200).path("items").findValuesAsText("name"))
                .contains("tools", "base").doesNotContain("web");
        assertThat(call(admin, "GET", "/v1/admin/builds", null, 200).path("items").findValuesAsText("buildId"))
                .contains(buildId);
        assertError(api.call("GET", "/v1/admin/builds", key, null), 403, "admin");

        api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null);
        sandboxes.remove(sandbox);
        assertThat(api.call("DELETE", "/v1/templates/tools", admin, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/v1/templates/tools", key, null).status()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void aFailingStepFailsTheBuildAndSaysWhy() throws Exception {
        Map<String, Object> recipe = Map.of("name", "broken",
                "steps", List.of(Map.of("type", "run", "cmd", "echo about to fail; exit 3"),
                        Map.of("type", "run", "cmd", "echo never")));
        String buildId = call(key, "POST", "/v1/templates", JSON.writeValueAsString(recipe), 202).path("buildId").asText();
        JsonNode built = awaitBuild(buildId);

        assertThat(built.path("status").asText()).isEqualTo("failed");
        assertThat(built.path("error").asText()).isEqualTo("step 0 (run) exited with 3");
        assertThat(built.path("steps").findValuesAsText("status")).containsExactly("failed", "skipped", "skipped");
        assertThat(call(key, "GET", "/v1/templates/broken", null, 200).path("state").asText()).isEqualTo("failed");
        assertError(api.call("POST", "/v1/sandboxes", key, "{\"template\":\"broken\"}"), 409, "is failed");
        // The build is failed first, then its builder is deleted.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(call(key, "GET",
                "/v1/sandboxes?state=all&metadata.amber.build=" + buildId, null, 200).path("items").findValuesAsText("state"))
                .as("the builder sandbox").containsOnly("stopped"));
    }

    @Test
    @Order(6)
    void anImageTemplateIsAFlattenedDiskThatSandboxesBootWithoutItsProcesses() throws Exception {
        Map<String, Object> recipe = Map.of("name", "disk-only", "kind", "image", "steps", List.of(
                Map.of("type", "run", "cmd", "echo from the image > /opt/image.txt"
                        + " && nohup sleep 1000 >/dev/null 2>&1 &")));
        String buildId = call(key, "POST", "/v1/templates", JSON.writeValueAsString(recipe), 202).path("buildId").asText();
        JsonNode built = awaitBuild(buildId);

        assertThat(built.path("status").asText()).as(built.toString()).isEqualTo("succeeded");
        JsonNode template = call(key, "GET", "/v1/templates/disk-only", null, 200);
        assertThat(template.path("kind").asText()).isEqualTo("image");
        assertThat(template.path("snapshotId").isNull()).isTrue();
        Path image = onlyImage();
        assertThat(Files.size(image.resolve("rootfs.qcow2"))).isEqualTo(template.path("imageBytes").asLong())
                .as("sparse: well under its virtual size").isLessThan(template.path("diskSizeMb").asLong() << 20);
        assertThat(qemuImgInfo(image.resolve("rootfs.qcow2"))).as("standalone").doesNotContain("backing-filename");

        String sandbox = create("{\"template\":\"disk-only\"}");
        assertThat(shell(sandbox, "cat /opt/image.txt; pgrep -x sleep || echo no process"))
                .isEqualTo("from the image\nno process\n");
        assertThat(api.call("DELETE", "/v1/templates/disk-only", key, null).status()).as("while a sandbox boots it")
                .isEqualTo(204);
        assertThat(api.call("GET", "/v1/templates/disk-only", key, null).status()).isEqualTo(404);
        assertThat(shell(sandbox, "cat /opt/image.txt")).as("its sandbox runs on").isEqualTo("from the image\n");
        assertThat(image).as("the image, kept for its sandbox").isDirectory();
        assertThat(api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null).status()).isEqualTo(204);
        sandboxes.remove(sandbox);
        assertThat(image).as("the image goes with its last user").doesNotExist();
    }

    @Test
    @Order(7)
    void anOciArchiveBecomesAnImageTemplateWhoseSandboxesRunItsUserlandWithTheAgentInjected(@TempDir Path work)
            throws Exception {
        Path archive = ociArchive(work);
        String admin = amber.adminKey();
        Map<String, Object> recipe = Map.of("name", "imported", "image", Map.of("uri", "oci-archive:" + archive));
        assertError(build(key, recipe), 403, "only a platform admin");
        assertError(build(admin, Map.of("name", "imported", "image", Map.of("uri", "http://example.com/x.tar"))), 400,
                "image.uri must be");

        String buildId = call(admin, "POST", "/v1/templates", JSON.writeValueAsString(recipe), 202).path("buildId").asText();
        JsonNode built = awaitBuild(admin, buildId);

        assertThat(built.path("status").asText()).as(built.toString()).isEqualTo("succeeded");
        JsonNode template = call(admin, "GET", "/v1/templates/imported", null, 200);
        assertThat(template.path("kind").asText()).isEqualTo("image");
        String sandbox = call(admin, "POST", "/v1/sandboxes", "{\"template\":\"imported\"}", 201).path("id").asText();
        JsonNode greeting = call(admin, "POST", "/v1/sandboxes/" + sandbox + "/exec",
                "{\"cmd\": [\"/bin/cat\", \"/etc/greeting\"]}", 200);
        JsonNode shell = call(admin, "POST", "/v1/sandboxes/" + sandbox + "/exec",
                "{\"cmd\": [\"/bin/sh\", \"-c\", \"ls /opt/amber/bin; readlink /bin/sh\"]}", 200);
        call(admin, "DELETE", "/v1/sandboxes/" + sandbox, null, 204);
        assertThat(greeting.path("stdout").asText()).isEqualTo("hello from an OCI image\n");
        assertThat(shell.path("stdout").asText()).as("the image's own sh, the agent's tools beside it: " + shell)
                .isEqualTo("busybox\ntini\nbusybox\n");

        String missing = call(admin, "POST", "/v1/templates", JSON.writeValueAsString(Map.of("name", "imported-too",
                "image", Map.of("uri", "docker-archive:/nonexistent/image.tar"))), 202).path("buildId").asText();
        JsonNode failed = awaitBuild(admin, missing);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("no image archive at /nonexistent/image.tar");
        call(admin, "DELETE", "/v1/templates/imported", null, 204);
    }

    @Test
    @Order(8)
    void aCancelledBuildStopsBeforeItsNextStep() throws Exception {
        Map<String, Object> recipe = Map.of("name", "cancelled", "steps", List.of(
                Map.of("type", "run", "cmd", "sleep 3"), Map.of("type", "run", "cmd", "touch /root/never")));
        String buildId = call(key, "POST", "/v1/templates", JSON.writeValueAsString(recipe), 202).path("buildId").asText();

        JsonNode asked = call(key, "POST", "/v1/builds/" + buildId + "/cancel", null, 200);
        JsonNode ended = awaitBuild(buildId);

        assertThat(asked.path("status").asText()).isIn("cancelled", "running");
        assertThat(ended.path("status").asText()).isEqualTo("cancelled");
        assertThat(ended.path("steps").get(1).path("status").asText()).isEqualTo("skipped");
        assertThat(call(key, "GET", "/v1/templates/cancelled", null, 200).path("stateReason").asText())
                .isEqualTo("its first build was cancelled");
        assertError(api.call("POST", "/v1/builds/" + buildId + "/cancel", key, null), 409, "has ended already");
        String stranger = api.newTeam(amber.adminKey(), "template-strangers");
        assertThat(api.call("POST", "/v1/builds/" + buildId + "/cancel", stranger, null).status())
                .as("another team's build").isEqualTo(404);
    }

    // ---- helpers ----

    /**
     * A small OCI image archive made here: a static busybox as its userland and the host's glibc
     * (what the injected agent's runtime needs), plus a file to recognise it by.
     */
    private static Path ociArchive(Path work) throws Exception {
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        for (String dir : List.of("bin", "etc", "lib/x86_64-linux-gnu", "lib64", "root", "tmp")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        for (String applet : List.of("sh", "cat", "ls", "readlink", "echo", "sleep")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        for (String library : List.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1")) {
            Files.copy(Path.of("/lib/x86_64-linux-gnu", library), rootfs.resolve("lib/x86_64-linux-gnu").resolve(library));
        }
        Files.copy(Path.of("/lib64/ld-linux-x86-64.so.2"), rootfs.resolve("lib64/ld-linux-x86-64.so.2"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(rootfs.resolve("etc/greeting"), "hello from an OCI image\n");
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        Path archive = work.resolve("image.tar");
        run("umoci", "init", "--layout", layout.toString());
        run("umoci", "new", "--image", layout + ":test");
        run("umoci", "unpack", "--image", layout + ":test", bundle.toString());
        run("cp", "-a", rootfs + "/.", bundle.resolve("rootfs").toString());
        run("umoci", "repack", "--image", layout + ":test", bundle.toString());
        run("skopeo", "--insecure-policy", "copy", "--quiet", "oci:" + layout + ":test", "oci-archive:" + archive);
        return archive;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /** The one template image on disk. */
    private Path onlyImage() throws Exception {
        try (Stream<Path> images = Files.list(amber.data().resolve("template-images"))) {
            List<Path> all = images.toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        }
    }

    private static String qemuImgInfo(Path image) throws Exception {
        Process info = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", image.toString())
                .redirectErrorStream(true).start();
        String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(info.waitFor()).as(output).isZero();
        return output;
    }

    /** A web server template: package, files, env and workdir, the server started in the background. */
    private static Map<String, Object> webRecipe(String version) {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("name", "web");
        recipe.put("steps", List.of(
                Map.of("type", "env", "env", Map.of("GREETING", "hi")),
                Map.of("type", "workdir", "path", "/srv"),
                Map.of("type", "copy", "path", "/srv/copied.txt", "content",
                        Base64.getEncoder().encodeToString("copied".getBytes(StandardCharsets.UTF_8))),
                Map.of("type", "run", "cmd", INSTALL_PACKAGE + " && echo $GREETING > greeting"),
                Map.of("type", "run", "cmd", "printf 'made by a template " + version + "' > index.html"
                        + " && nohup python3 -m http.server 8000 >/tmp/http.log 2>&1 &")));
        recipe.put("readyCmd", READY);
        return recipe;
    }

    private Api.Response build(String caller, Map<String, Object> recipe) throws Exception {
        return api.call("POST", "/v1/templates", caller, JSON.writeValueAsString(recipe));
    }

    /** The log piece whose text is exactly {@code text}. */
    private static JsonNode find(JsonNode logs, String text) {
        for (JsonNode line : logs.path("items").isMissingNode() ? logs : logs.path("items")) {
            if (line.path("text").asText().equals(text)) {
                return line;
            }
        }
        throw new AssertionError("no log piece \"" + text.strip() + "\" in " + logs);
    }

    private JsonNode awaitBuild(String buildId) throws Exception {
        return awaitBuild(key, buildId);
    }

    private JsonNode awaitBuild(String caller, String buildId) {
        return await().atMost(BUILD_DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> call(caller, "GET", "/v1/builds/" + buildId, null, 200),
                        build -> !build.path("status").asText().matches("queued|running"));
    }

    /** Follows the build's log as server-sent events to its end: every log piece, then the end event's build. */
    private List<JsonNode> followLog(String buildId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(amber.url() + "/v1/builds/" + buildId + "/logs"))
                .header("X-API-Key", key).header("Accept", "text/event-stream").timeout(BUILD_DEADLINE).build();
        List<JsonNode> events = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request,
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            response.body().filter(line -> line.startsWith("data: "))
                    .forEach(line -> events.add(parse(line.substring("data: ".length()))));
        }
        return events;
    }

    private String create(String body) throws Exception {
        String id = call(key, "POST", "/v1/sandboxes", body, 201).path("id").asText();
        sandboxes.add(id);
        return id;
    }

    private HttpResponse<String> proxied(String sandbox, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(amber.url() + "/v1/sandboxes/" + sandbox + "/ports/8000"
                    + path)).header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private String shell(String sandbox, String script) throws Exception {
        JsonNode result = call(key, "POST", "/v1/sandboxes/" + sandbox + "/exec",
                JSON.writeValueAsString(Map.of("shell", script)), 200);
        assertThat(result.path("exitCode").asInt()).as(script + ": " + result.path("stderr").asText()).isZero();
        return result.path("stdout").asText();
    }

    private JsonNode call(String caller, String method, String path, String body, int expectedStatus) throws Exception {
        Api.Response response = api.call(method, path, caller, body);
        assertThat(response.status()).as(method + " " + path + " -> " + response.body()).isEqualTo(expectedStatus);
        return response.json();
    }

    private static double durationMillis(JsonNode build) {
        return Duration.between(java.time.Instant.parse(build.path("startedAt").asText()),
                java.time.Instant.parse(build.path("finishedAt").asText())).toMillis();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static void assertError(Api.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorMessage()).contains(messagePart);
    }
}
