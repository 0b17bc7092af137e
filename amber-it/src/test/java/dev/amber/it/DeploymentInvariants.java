package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold for an `amber up` deployment whenever nothing is in flight, checked against what
 * really runs and lies on disk rather than against what the API says of itself: a sandbox runs
 * exactly when a QEMU of it runs; only running and paused sandboxes have files; every snapshot on
 * disk is known, every ready one has its files; nothing is stuck in a transitional state.
 */
final class DeploymentInvariants {

    private static final Set<String> SETTLED_SANDBOX = Set.of("running", "paused", "stopped", "error");
    private static final Set<String> SETTLED_SNAPSHOT = Set.of("ready", "failed");

    private final Path data;

    DeploymentInvariants(Path data) {
        this.data = data;
    }

    /** The team's sandboxes, by id; fails if one is in a transitional state. */
    static Map<String, JsonNode> sandboxes(Api api, String key) throws IOException, InterruptedException {
        return items(api, key, "/v1/sandboxes?state=all&pageSize=500").stream()
                .collect(Collectors.toMap(sandbox -> sandbox.path("id").asText(), sandbox -> sandbox));
    }

    static List<JsonNode> snapshots(Api api, String key) throws IOException, InterruptedException {
        return items(api, key, "/v1/snapshots?size=500");
    }

    /** Whether no sandbox and no snapshot is in a transitional state. */
    static boolean settled(Api api, String key) throws IOException, InterruptedException {
        return sandboxes(api, key).values().stream().allMatch(s -> SETTLED_SANDBOX.contains(s.path("state").asText()))
                && snapshots(api, key).stream().allMatch(s -> SETTLED_SNAPSHOT.contains(s.path("state").asText()));
    }

    void check(Api api, String key) throws IOException, InterruptedException {
        Set<Long> running = new TreeSet<>();
        Set<String> withFiles = new TreeSet<>();
        for (JsonNode sandbox : sandboxes(api, key).values()) {
            String id = sandbox.path("id").asText();
            String state = sandbox.path("state").asText();
            assertThat(state).as("state of %s", sandbox).isIn(SETTLED_SANDBOX);
            Optional<Long> qemu = Processes.qemuOf(data.resolve("sandboxes").resolve(id));
            if (state.equals("running")) {
                assertThat(qemu).as("QEMU of %s", sandbox).isPresent();
                running.add(qemu.get());
            } else {
                assertThat(qemu).as("QEMU of %s", sandbox).isEmpty();
            }
            if (state.equals("running") || state.equals("paused")) {
                withFiles.add(id);
            } else {
                assertThat(sandbox.path("stateReason").asText()).as("reason of %s", sandbox).isNotBlank();
            }
        }
        assertThat(unaccountedQemus(running)).as("QEMUs of this deployment that are neither a running sandbox's "
                + "(%s) nor waiting to be taken", running).isEmpty();
        assertThat(entries(data.resolve("sandboxes"))).as("sandboxes with files (running or paused)")
                .isEqualTo(withFiles);
        checkSnapshots(snapshots(api, key));
    }

    /** QEMUs of this deployment other than {@code sandboxQemus} and the pre-started ones waiting for a sandbox. */
    List<Long> unaccountedQemus(Set<Long> sandboxQemus) {
        Set<Long> waiting = Processes.waitingPrestarted(data);
        return Processes.qemusMentioning(data).stream()
                .filter(pid -> !sandboxQemus.contains(pid) && !waiting.contains(pid))
                .toList();
    }

    private void checkSnapshots(List<JsonNode> snapshots) throws IOException {
        Set<String> known = new TreeSet<>();
        for (JsonNode snapshot : snapshots) {
            String id = snapshot.path("snapshotId").asText();
            known.add(id);
            assertThat(snapshot.path("state").asText()).as("state of %s", snapshot).isIn(SETTLED_SNAPSHOT);
            if (snapshot.path("state").asText().equals("ready")) {
                assertThat(data.resolve("snapshots").resolve(id)).as("files of %s", snapshot).isDirectory();
            }
        }
        Set<String> unknown = new TreeSet<>(entries(data.resolve("snapshots")));
        unknown.removeAll(known);
        assertThat(unknown).as("snapshot files the database does not know").isEmpty();
    }

    private static Set<String> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }

    private static List<JsonNode> items(Api api, String key, String path) throws IOException, InterruptedException {
        Api.Response response = api.call("GET", path, key, null);
        assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().path("items").forEach(items::add);
        return items;
    }
}
