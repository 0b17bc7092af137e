package dev.amber.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.Layout;
import dev.amber.host.vm.MachineResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Template builds through the API: the sample template (a file, a package made and installed, an
 * HTTP server started and waited for) built cold, rebuilt with its last step changed (the others
 * cached) and rebuilt unchanged; then creates from it to exec-ready beside a raw QEMU restore of
 * the template's snapshot.
 */
final class TemplateBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXEC_TRUE = "{\"cmd\":[\"true\"]}";
    private static final String INSTALL_PACKAGE = "mkdir -p /tmp/pkg/DEBIAN /tmp/pkg/usr/local/bin"
            + " && printf 'Package: amber-bench\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: Amber <a@b.c>\\n"
            + "Description: bench package\\n' > /tmp/pkg/DEBIAN/control"
            + " && printf '#!/bin/sh\\necho hi\\n' > /tmp/pkg/usr/local/bin/amber-bench"
            + " && chmod 755 /tmp/pkg/usr/local/bin/amber-bench"
            + " && dpkg-deb --build /tmp/pkg /tmp/amber-bench.deb && dpkg -i /tmp/amber-bench.deb";

    private final LocalDeployment deployment;
    private final Layout layout;
    private final Api api;
    private final Report report;

    TemplateBench(LocalDeployment deployment, Layout layout, Api api, Report report) {
        this.deployment = deployment;
        this.layout = layout;
        this.api = api;
        this.report = report;
    }

    void run(Options options) throws Exception {
        String run = UUID.randomUUID().toString(); // a first step no earlier run cached: a cold build
        double cold = build(recipe(run, "v1"));
        double lastChanged = build(recipe(run, "v2"));
        double unchanged = build(recipe(run, "v2"));
        report.figure("template build, cold (5 steps + readyCmd)", cold, "ms");
        report.figure("template rebuild, last step changed (4 steps cached)", lastChanged, "ms");
        report.figure("template rebuild, unchanged (all cached)", unchanged, "ms");
        report.figure("rebuild with last step changed / cold build", lastChanged / cold, "x");
        createFromTemplate(options.integer("--template-creates", 10));
        api.call("DELETE", "/v1/templates/bench-web", null);
    }

    private void createFromTemplate(int runs) throws Exception {
        JsonNode template = api.call("GET", "/v1/templates/bench-web", null);
        Layout.SnapshotPaths snapshot = layout.snapshot(template.path("snapshotId").asText());
        MachineResources resources = new MachineResources(template.path("vcpus").asInt(),
                template.path("memoryMb").asInt(), template.path("diskSizeMb").asLong());
        RawRestore rawRestore = new RawRestore(deployment);
        Stats ours = new Stats();
        Stats raw = new Stats();
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            String id = api.call("POST", "/v1/sandboxes", "{\"template\":\"bench-web\"}").path("id").asText();
            api.call("POST", "/v1/sandboxes/" + id + "/exec", EXEC_TRUE);
            ours.add(Api.millisSince(started));
            api.call("DELETE", "/v1/sandboxes/" + id, null);
            raw.add(rawRestore.millis(snapshot, resources));
        }
        report.figure("raw QEMU -incoming restore of the template's snapshot to first exec p50", raw.median(), "ms");
        report.figure("API create from template to exec-ready p50", ours.median(), "ms");
        report.figure("create-from-template ratio (ours / raw)", ours.median() / raw.median(), "x");
    }

    /** Builds the recipe and returns the build's own duration (queue to end, as the server measured it). */
    private double build(Map<String, Object> recipe) throws Exception {
        String buildId = api.call("POST", "/v1/templates", JSON.writeValueAsString(recipe)).path("buildId").asText();
        JsonNode build;
        do {
            Thread.sleep(200);
            build = api.call("GET", "/v1/builds/" + buildId, null);
        } while (build.path("status").asText().matches("queued|running"));
        if (!build.path("status").asText().equals("succeeded")) {
            throw new IllegalStateException("the bench template did not build: " + build);
        }
        return Duration.between(Instant.parse(build.path("createdAt").asText()),
                Instant.parse(build.path("finishedAt").asText())).toMillis();
    }

    private static Map<String, Object> recipe(String run, String version) {
        return Map.of("name", "bench-web", "steps", List.of(
                Map.of("type", "run", "cmd", "echo " + run + " > /root/run-id"),
                Map.of("type", "workdir", "path", "/srv"),
                Map.of("type", "run", "cmd", "echo hello > /srv/hello.txt"),
                Map.of("type", "run", "cmd", INSTALL_PACKAGE),
                Map.of("type", "run", "cmd", "printf '" + version + "' > index.html"
                        + " && nohup python3 -m http.server 8000 >/tmp/http.log 2>&1 &")),
                "readyCmd", "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')\"");
    }
}
