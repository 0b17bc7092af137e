package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.it.AmberRole.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Amber loses nothing when one of its machines dies. PostgreSQL and an S3-compatible store
 * (S3Proxy) on one machine, two replicas of `./amber server` on two others, and hosts on two more,
 * each a network namespace made here. A replica is killed while creates go to both: every create
 * either replica acknowledged exists and runs, and the one in flight on the dead replica is settled
 * by the other. A sandbox with files and a running counter is paused on host A, and a named
 * snapshot made of it there; once both are durable host A is killed and its data directory
 * deleted, and the sandbox resumes on host B with its files and its counter going on, and the
 * snapshot starts sandboxes on B. A pause the store never got (the store was down) cannot move when
 * its host dies: 409 snapshot_not_durable, saying so. Runs alone: two hosts' VMs, two servers and
 * the store would starve the classes beside it.
 */
@Isolated
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MachineLossTest {

    private static final String COUNTER = "nohup sh -c 'i=0; while :; do i=$((i+1)); echo $i > /dev/shm/count; sleep 0.1; done'"
            + " >/dev/null 2>&1 &";
    private static final String COUNT = "c=$(cat /dev/shm/count); while [ -z \"$c\" ]; do sleep 0.05; c=$(cat /dev/shm/count); done;"
            + " echo $c";

    private static Cluster cluster;
    private static DebianPostgres database;
    private static S3ProxyServer store;
    private static String admin;

    @BeforeAll
    static void startTheMachines() throws Exception {
        cluster = Cluster.create("machine-loss-logs");
        NetworkNamespaces.Machine services = cluster.machine("db", 1);
        database = DebianPostgres.startIn(services);
        store = S3ProxyServer.startIn(services, cluster.data().resolve("s3"), 9000, "amber-durable");
        Map<String, String> storeSettings = Map.of("AMBER_S3_ENDPOINT", store.endpoint().toString(),
                "AMBER_S3_BUCKET", store.bucket(), "AMBER_S3_ACCESS_KEY", store.accessKey(),
                "AMBER_S3_SECRET_KEY", store.secretKey());
        Map<String, String> serverSettings = new HashMap<>(storeSettings);
        serverSettings.putAll(Map.of("AMBER_DATABASE_URL", database.jdbcUrl(), "AMBER_DATABASE_USER", DebianPostgres.USER,
                "AMBER_DATABASE_PASSWORD", DebianPostgres.PASSWORD));
        cluster.startServer(cluster.machine("srv", 4), serverSettings);
        cluster.startReplica(cluster.machine("srv2", 5), serverSettings);
        admin = cluster.admin();
        cluster.join("ha", 2, cluster.token(admin, "/v1/admin/hosts/tokens"), storeSettings);
        cluster.join("hb", 3, cluster.token(admin, "/v1/admin/hosts/tokens"), storeSettings);
        cluster.awaitHosts(admin, 2);
    }

    @AfterAll
    static void stopTheMachines() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (store != null) {
            store.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(0)
    void killingAServerReplicaDuringCreatesLosesNoAcknowledgedCreate() throws Exception {
        AmberRole first = cluster.server();
        AmberRole second = cluster.replicas().get(1);
        cluster.front(second);
        cluster.awaitHosts(admin, 2);
        Set<String> byFirst = ConcurrentHashMap.newKeySet();
        Set<String> bySecond = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        String inFlight;
        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            Future<?> viaFirst = clients.submit(() -> createUntil(first, "first", stop, byFirst));
            Future<?> viaSecond = clients.submit(() -> createUntil(second, "second", stop, bySecond));
            await().atMost(Cluster.SLOW).until(() -> byFirst.size() >= 2 || viaFirst.isDone());
            inFlight = await().atMost(Cluster.SLOW).pollInterval(Duration.ofMillis(200))
                    .until(() -> creatingVia("first"), Optional::isPresent).orElseThrow();

            first.kill(); // during the create it has recorded and not yet acknowledged
            int atKill = bySecond.size();
            await().atMost(Cluster.SLOW).until(() -> bySecond.size() >= atKill + 2 || viaSecond.isDone());
            stop.set(true);
            viaFirst.get();
            viaSecond.get();
        }

        assertThat(byFirst).as("creates the killed replica acknowledged").hasSizeGreaterThanOrEqualTo(2);
        Set<String> acknowledged = new HashSet<>(byFirst);
        acknowledged.addAll(bySecond);
        for (String id : acknowledged) {
            assertThat(cluster.sandbox(admin, id).path("state").asText()).as("acknowledged create %s", id)
                    .isEqualTo("running");
            assertThat(cluster.exec(admin, id, "echo ok")).isEqualTo("ok\n");
        }
        await().atMost(Cluster.SLOW).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(cluster.sandbox(admin, inFlight).path("state").asText())
                        .as("the create the dead replica had in flight, settled by the other").isIn("running", "stopped"));
        await().atMost(Cluster.SLOW).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (JsonNode sandbox : cluster.call(admin, "GET", "/v1/sandboxes", null).json().path("items")) {
                assertThat(sandbox.path("state").asText()).as("what the dead replica had in flight is settled: %s", sandbox)
                        .isIn("running", "stopped", "error");
            }
        });
        for (JsonNode sandbox : cluster.call(admin, "GET", "/v1/sandboxes", null).json().path("items")) {
            cluster.call(admin, "DELETE", "/v1/sandboxes/" + sandbox.path("id").asText(), null);
        }
    }

    /**
     * Creates sandboxes through {@code replica} one after another, each labelled {@code via} it,
     * until told to stop or the replica stops answering.
     */
    private static Void createUntil(AmberRole replica, String via, AtomicBoolean stop, Set<String> acknowledged)
            throws Exception {
        while (!stop.get()) {
            Response created = cluster.callVia(replica, admin, "POST", "/v1/sandboxes",
                    "{\"metadata\":{\"via\":\"" + via + "\"}}");
            if (created.status() == 0) {
                return null; // no answer: the replica is gone, and with it this create's acknowledgement
            }
            assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
            acknowledged.add(created.json().path("id").asText());
        }
        return null;
    }

    @Test
    @Order(1)
    void aPausedSandboxAndASnapshotOutliveTheirHost() throws Exception {
        String hostA = cluster.awaitHostNamed(admin, "ha");
        String hostB = cluster.awaitHostNamed(admin, "hb");
        String sandbox = cluster.create(admin, "{\"hostId\":\"" + hostA + "\"}").path("id").asText();
        cluster.exec(admin, sandbox, COUNTER + " echo kept > /root/kept; sync; until [ -s /dev/shm/count ]; do sleep 0.1; done");
        Response snapshot = cluster.call(admin, "POST", "/v1/sandboxes/" + sandbox + "/snapshots", "{\"name\":\"outlives\"}");
        assertThat(snapshot.status()).as(snapshot.json().toString()).isEqualTo(201);
        String snapshotId = snapshot.json().path("snapshotId").asText();
        long before = Long.parseLong(cluster.exec(admin, sandbox, COUNT).strip());
        assertThat(cluster.call(admin, "POST", "/v1/sandboxes/" + sandbox + "/pause", null).status()).isEqualTo(200);

        await().atMost(Cluster.SLOW).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(cluster.call(admin, "GET", "/v1/snapshots/" + snapshotId, null).json().path("durable").asBoolean())
                    .as("the snapshot is durable").isTrue();
            assertThat(cluster.sandbox(admin, sandbox).path("durable").asBoolean()).as("the pause is durable").isTrue();
        });

        AmberRole a = cluster.hosts().get(0);
        a.kill();
        deleteTree(a.data());
        await().atMost(Cluster.SLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.hostState(hostA).equals("unreachable"));

        Response resumed = cluster.call(admin, "POST", "/v1/sandboxes/" + sandbox + "/resume", null);
        assertThat(resumed.status()).as(resumed.json().toString()).isEqualTo(200);
        assertThat(resumed.json().path("hostId").asText()).as("where it resumed").isEqualTo(hostB);
        assertThat(cluster.exec(admin, sandbox, "cat /root/kept")).isEqualTo("kept\n");
        long after = Long.parseLong(cluster.exec(admin, sandbox, COUNT).strip());
        assertThat(after).as("the counter went on from where it was paused").isGreaterThanOrEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Long.parseLong(cluster.exec(admin, sandbox, COUNT).strip()) > after);

        JsonNode clone = cluster.create(admin, "{\"snapshotId\":\"outlives\"}");
        assertThat(clone.path("hostId").asText()).as("where the snapshot started a sandbox").isEqualTo(hostB);
        assertThat(cluster.exec(admin, clone.path("id").asText(), "cat /root/kept")).isEqualTo("kept\n");
    }

    @Test
    @Order(2)
    void aPauseTheStoreNeverGotCannotMoveWhenItsHostDies() throws Exception {
        String hostB = cluster.awaitHostNamed(admin, "hb");
        String sandbox = cluster.create(admin, "{\"hostId\":\"" + hostB + "\"}").path("id").asText();
        store.close(); // the store is down: the pause's copy fails
        assertThat(cluster.call(admin, "POST", "/v1/sandboxes/" + sandbox + "/pause", null).status()).isEqualTo(200);
        await().atMost(Cluster.SLOW).pollInterval(Duration.ofSeconds(1)).until(() ->
                !cluster.sandbox(admin, sandbox).path("durableError").asText().isEmpty());
        assertThat(cluster.sandbox(admin, sandbox).path("durable").asBoolean()).isFalse();

        cluster.hosts().get(1).kill();
        await().atMost(Cluster.SLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.hostState(hostB).equals("unreachable"));
        Response refused = cluster.call(admin, "POST", "/v1/sandboxes/" + sandbox + "/resume", null);

        assertThat(refused.status()).as(refused.json().toString()).isEqualTo(409);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("snapshot_not_durable");
        assertThat(refused.json().path("error").path("message").asText()).contains("not in the object store");
        assertThat(cluster.sandbox(admin, sandbox).path("state").asText()).as("left as it was").isEqualTo("paused");
    }

    /** A sandbox being created through the replica labelled {@code via}, as the live replica lists it. */
    private static Optional<String> creatingVia(String via) throws Exception {
        for (JsonNode sandbox : cluster.callVia(cluster.replicas().get(1), admin, "GET", "/v1/sandboxes", null).json()
                .path("items")) {
            if (sandbox.path("state").asText().equals("creating") && sandbox.path("metadata").path("via").asText().equals(via)) {
                return Optional.of(sandbox.path("id").asText());
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted((x, y) -> y.compareTo(x)).forEach(path -> path.toFile().delete());
        }
    }
}
