package dev.amber.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.Layout;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots through the API: create from a snapshot to exec-ready beside a raw QEMU restore of the
 * same files (QEMU launched with -incoming, state loaded, running, a first exec answered), pause and
 * resume, the checkpoint pause window, a fork of ten and the memory each clone adds.
 */
final class SnapshotBench {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final String EXEC_TRUE = "{\"cmd\":[\"true\"]}";
    /** The default template's machine. */
    private static final MachineResources DEFAULT_SIZE = new MachineResources(1, 512, MachineResources.DEFAULT_DISK_MB);

    private final LocalDeployment deployment;
    private final Layout layout;
    private final Api api;
    private final Report report;

    SnapshotBench(LocalDeployment deployment, Layout layout, Api api, Report report) {
        this.deployment = deployment;
        this.layout = layout;
        this.api = api;
        this.report = report;
    }

    void run(Options options) throws Exception {
        String source = create("{}");
        List<String> made = new ArrayList<>(List.of(source));
        String snapshot = null;
        try {
            api.call("POST", "/v1/sandboxes/" + source + "/exec", EXEC_TRUE);
            Bench.awaitBaseSnapshot(deployment, DEFAULT_SIZE);
            pauseAndResume(source, "a booted sandbox", options.integer("--pauses", 5));
            checkpoints(source, options.integer("--checkpoints", 5));
            snapshot = api.call("POST", "/v1/sandboxes/" + source + "/snapshots", "{\"name\":\"bench\"}")
                    .path("snapshotId").asText();
            createFromSnapshot(snapshot, options.integer("--restores", 20));
            String clone = create("{\"snapshotId\":\"" + snapshot + "\"}");
            made.add(clone);
            pauseAndResume(clone, "a sandbox restored from a snapshot", options.integer("--pauses", 5));
            made.addAll(fork(source, options.integer("--forks", 10)));
        } finally {
            for (String id : made) {
                api.call("DELETE", "/v1/sandboxes/" + id, null);
            }
            if (snapshot != null) {
                api.call("DELETE", "/v1/snapshots/" + snapshot, null);
            }
        }
    }

    private String create(String body) throws IOException, InterruptedException {
        return api.call("POST", "/v1/sandboxes", body).path("id").asText();
    }

    private void pauseAndResume(String id, String what, int cycles) throws Exception {
        Stats pause = new Stats();
        Stats resume = new Stats();
        for (int i = 0; i < cycles; i++) {
            long started = System.nanoTime();
            api.call("POST", "/v1/sandboxes/" + id + "/pause", null);
            pause.add(Api.millisSince(started));
            started = System.nanoTime();
            api.call("POST", "/v1/sandboxes/" + id + "/resume", null);
            api.call("POST", "/v1/sandboxes/" + id + "/exec", EXEC_TRUE);
            resume.add(Api.millisSince(started));
        }
        report.figure("pause of " + what + " (512 MiB) p50", pause.median(), "ms");
        report.figure("resume of " + what + " to exec-ready p50", resume.median(), "ms");
    }

    private void checkpoints(String id, int count) throws Exception {
        Stats window = new Stats();
        Stats total = new Stats();
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            JsonNode checkpoint = api.call("POST", "/v1/sandboxes/" + id + "/checkpoints", null);
            total.add(Api.millisSince(started));
            window.add(checkpoint.path("pauseWindowMs").asDouble());
        }
        report.figure("checkpoint pause window p50", window.median(), "ms");
        report.figure("checkpoint API call p50", total.median(), "ms");
    }

    /** Through the API vs raw QEMU restoring the very same snapshot files, interleaved. */
    private void createFromSnapshot(String snapshot, int runs) throws Exception {
        Stats ours = new Stats();
        Stats raw = new Stats();
        RawRestore rawRestore = new RawRestore(deployment);
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            String id = create("{\"snapshotId\":\"" + snapshot + "\"}");
            api.call("POST", "/v1/sandboxes/" + id + "/exec", EXEC_TRUE);
            ours.add(Api.millisSince(started));
            api.call("DELETE", "/v1/sandboxes/" + id, null);
            raw.add(rawRestore.millis(layout.snapshot(snapshot), DEFAULT_SIZE));
        }
        report.figure("raw QEMU -incoming restore to first exec answered p50", raw.median(), "ms");
        report.figure("API create from snapshot to exec-ready p50", ours.median(), "ms");
        report.figure("API create from snapshot to exec-ready p95", ours.percentile(95), "ms");
        report.figure("create-from-snapshot ratio (ours / raw)", ours.median() / raw.median(), "x");
    }

    /** N copies of a running sandbox, and what each adds to the host's memory. */
    private List<String> fork(String source, int count) throws Exception {
        long started = System.nanoTime();
        JsonNode forked = api.call("POST", "/v1/sandboxes/" + source + "/fork", "{\"count\":" + count + "}");
        double took = Api.millisSince(started);
        List<String> ids = new ArrayList<>();
        long rss = 0;
        long anonymous = 0;
        for (JsonNode sandbox : forked.path("sandboxes")) {
            String id = sandbox.path("id").asText();
            ids.add(id);
            Sandbox vm = deployment.runtime().find(id).orElseThrow();
            Map<String, Long> status = memoryOf(vm.pid());
            rss += status.get("VmRSS:");
            anonymous += status.get("RssAnon:");
        }
        report.figure("fork of " + count + " (API, to all running)", took, "ms");
        report.figure("RSS per fork (QEMU process, incl. shared snapshot pages)", rss / 1024.0 / count, "MiB");
        report.figure("private (anonymous) RSS per fork", anonymous / 1024.0 / count, "MiB");
        return ids;
    }

    /** The kB figures of /proc/PID/status. */
    private static Map<String, Long> memoryOf(long pid) throws IOException {
        Map<String, Long> figures = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2 && (parts[0].startsWith("Rss") || parts[0].equals("VmRSS:"))) {
                figures.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return figures;
    }
}
