package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.it.AmberRole.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Amber on three machines, each a network namespace made here: `./amber server` on one, and
 * `./amber host join` on two others, joined with tokens over mutual TLS. Sandboxes land on both
 * hosts; a drained host takes no new one; a stopped host's sandboxes show it and come back with it
 * (a running one running, a paused one resumable, with their files);
 * the link refuses plaintext and a used token; a team's own host runs only that team's sandboxes,
 * and deleting the team leaves no file of it on any host. Runs alone: its five hosts and their VMs
 * would starve the classes beside it (and their load its heartbeats) on a 2-core machine.
 */
@Isolated
class MultiHostTest {

    private static final Duration SLOW = Cluster.SLOW;
    private static Cluster cluster;
    private static String admin;

    @BeforeAll
    static void startTheMachines() throws Exception {
        cluster = Cluster.create("multi-host-logs");
        cluster.startServer(cluster.machine("srv", 1), Map.of());
        admin = cluster.admin();
        join("ha", 2, cluster.token(admin, "/v1/admin/hosts/tokens"));
        join("hb", 3, cluster.token(admin, "/v1/admin/hosts/tokens"));
        cluster.awaitHosts(admin, 2);
    }

    @AfterAll
    static void stopTheMachines() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sandboxesSpreadOverBothHostsADrainedOneTakesNoneAndAStoppedOneComesBackWithItsSandboxes() throws Exception {
        AmberRole a = cluster.hosts().get(0);
        String hostA = hostIdNamed("ha");
        String hostB = hostIdNamed("hb");
        Set<String> used = new HashSet<>();
        List<String> created = new ArrayList<>();
        while (!used.containsAll(List.of(hostA, hostB)) && created.size() < 8) {
            JsonNode sandbox = create(admin, "{}");
            created.add(sandbox.path("id").asText());
            used.add(sandbox.path("hostId").asText());
        }
        assertThat(used).as("hosts the sandboxes landed on").contains(hostA, hostB);
        String onA = created.stream().filter(id -> hostOf(id).equals(hostA)).findFirst().orElseThrow();
        exec(admin, onA, "echo kept > /root/kept; nohup sleep 3600 > /dev/null 2>&1 &");
        String pausedOnA = create(admin, "{\"hostId\":\"" + hostA + "\"}").path("id").asText();
        exec(admin, pausedOnA, "echo paused > /root/paused");
        assertThat(call(admin, "POST", "/v1/sandboxes/" + pausedOnA + "/pause", null).status()).isEqualTo(200);

        assertThat(call(admin, "POST", "/v1/admin/hosts/" + hostA + "/drain", "{}").status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            assertThat(create(admin, "{}").path("hostId").asText()).as("a create after the drain").isNotEqualTo(hostA);
        }

        a.stop();
        await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> hostState(hostA).equals("unreachable"));
        assertThat(sandbox(admin, onA).path("hostUnreachable").asBoolean()).isTrue();
        assertThat(create(admin, "{}").path("hostId").asText()).as("a create while A is away").isNotEqualTo(hostA);

        cluster.hosts().set(0, a.withArguments(withoutToken(a.arguments())).start());
        await().atMost(SLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> !sandbox(admin, onA).path("hostUnreachable").asBoolean());
        assertThat(hostState(hostA)).as("still draining after its restart").isEqualTo("draining");
        assertThat(sandbox(admin, onA).path("state").asText()).isEqualTo("running");
        assertThat(exec(admin, onA, "cat /root/kept; pgrep -c sleep")).isEqualTo("kept\n1\n");
        assertThat(sandbox(admin, pausedOnA).path("state").asText()).isEqualTo("paused");
        assertThat(call(admin, "POST", "/v1/sandboxes/" + pausedOnA + "/resume", null).status()).isEqualTo(200);
        assertThat(exec(admin, pausedOnA, "cat /root/paused")).isEqualTo("paused\n");
    }

    @Test
    void theLinkRefusesPlaintextAndAUsedTokenJoinsNothing() throws Exception {
        String link = cluster.link();
        String agent = cluster.hosts().get(1).machine().address() + ":7072";
        for (String port : List.of(link, agent)) {
            Process plaintext = new ProcessBuilder(cluster.hosts().get(1).machine().command(List.of("curl", "-sS", "--max-time",
                    "10", "--http2-prior-knowledge", "-X", "POST", "http://" + port + "/amber.host.v1.HostRegistry/Register")))
                    .redirectErrorStream(true).start();
            plaintext.getInputStream().readAllBytes();
            assertThat(plaintext.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(plaintext.exitValue()).as("plaintext HTTP/2 to %s", port).isNotZero();
        }

        String token = cluster.token(admin, "/v1/admin/hosts/tokens");
        join("hc", 4, token);
        cluster.awaitHosts(admin, 3);
        AmberRole second = AmberRole.host(cluster.machine("hd", 5), cluster.data().resolve("hd"), link, token, "hd").start();
        try {
            await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> !second.alive());
            assertThat(second.log()).containsIgnoringCase("used");
        } finally {
            second.cleanUp();
        }
    }

    @Test
    void aTeamsOwnHostRunsOnlyItsSandboxesAndDeletingTheTeamLeavesNoFileOfItOnAnyHost() throws Exception {
        JsonNode team = call(admin, "POST", "/v1/admin/teams", "{\"name\":\"byoc-team\"}").json();
        String teamId = team.path("team").path("id").asText();
        String teamKey = team.path("apiKey").path("secret").asText();
        assertThat(call(teamKey, "POST", "/v1/hosts/tokens", "{}").status()).as("no BYOC yet").isEqualTo(403);
        assertThat(call(admin, "PUT", "/v1/admin/teams/" + teamId + "/byoc", "{\"enabled\":true}").status()).isEqualTo(200);
        join("ht", 6, cluster.token(teamKey, "/v1/hosts/tokens"));
        String teamHost = cluster.awaitHostNamed(teamKey, "ht");

        JsonNode ownSandbox = create(teamKey, "{}");
        String own = ownSandbox.path("id").asText();
        assertThat(ownSandbox.path("hostId").asText()).as("where the team's sandbox runs").isEqualTo(teamHost);
        exec(teamKey, own, "echo mine > /root/mine");
        String snapshot = call(teamKey, "POST", "/v1/sandboxes/" + own + "/snapshots", "{\"name\":\"team-snap\"}")
                .json().path("snapshotId").asText();
        assertThat(snapshot).startsWith("snap-");
        for (int i = 0; i < 3; i++) {
            assertThat(create(admin, "{}").path("hostId").asText()).as("another team's sandbox").isNotEqualTo(teamHost);
        }

        assertThat(call(admin, "DELETE", "/v1/admin/teams/" + teamId, null).status()).isEqualTo(204);
        assertThat(call(teamKey, "GET", "/v1/sandboxes", null).status()).as("the team's key").isEqualTo(401);
        for (AmberRole host : cluster.hosts()) {
            await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(filesNaming(host.data(), own, snapshot)).as("files of the team on %s", host.data()).isEmpty());
        }
    }

    private static List<String> withoutToken(List<String> arguments) {
        List<String> kept = new ArrayList<>(arguments);
        int token = kept.indexOf("--token");
        if (token >= 0) {
            kept.subList(token, token + 2).clear();
        }
        return kept;
    }

    private static void join(String name, int address, String token) throws IOException {
        cluster.join(name, address, token, Map.of());
    }

    private static String hostIdNamed(String name) {
        return cluster.awaitHostNamed(admin, name);
    }

    private static String hostState(String hostId) throws Exception {
        return cluster.hostState(hostId);
    }

    private static JsonNode create(String key, String body) throws Exception {
        return cluster.create(key, body);
    }

    private static JsonNode sandbox(String key, String id) throws Exception {
        return cluster.sandbox(key, id);
    }

    private static String exec(String key, String sandbox, String script) throws Exception {
        return cluster.exec(key, sandbox, script);
    }

    private static Response call(String key, String method, String path, String body) throws Exception {
        return cluster.call(key, method, path, body);
    }

    private static String hostOf(String sandboxId) {
        try {
            return sandbox(admin, sandboxId).path("hostId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Paths under {@code root} whose name contains one of {@code ids} (without their prefixes). */
    private static List<Path> filesNaming(Path root, String... ids) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> Stream.of(ids).anyMatch(id -> path.getFileName().toString()
                    .contains(id.substring(id.indexOf('-') + 1)))).toList();
        }
    }
}
