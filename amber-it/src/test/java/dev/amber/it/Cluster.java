package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.it.AmberRole.Response;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Amber on several machines, each a network namespace made here: `./amber server` on one
 * ({@link #startServer}), maybe further replicas of it on others ({@link #startReplica}), and
 * `./amber host join` on others ({@link #join}), and the calls a test makes to the API, with real
 * curl from inside the machine of the replica in front ({@link #front}). Closing deletes the
 * sandboxes first (a host's stop would pause each one, for a next start that never comes), stops
 * every role, keeps each one's log in target/{@code logs} and removes the machines and their data.
 */
final class Cluster implements AutoCloseable {

    static final Duration SLOW = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkNamespaces lan;
    private final Path data;
    private final String logs;
    private final List<AmberRole> hosts = new ArrayList<>();
    private final List<AmberRole> servers = new ArrayList<>();
    private AmberRole server;
    private String admin;

    private Cluster(NetworkNamespaces lan, Path data, String logs) {
        this.lan = lan;
        this.data = data;
        this.logs = logs;
    }

    /** The machines' network and data directory; {@code logs} names the folder under target/ their logs are kept in. */
    static Cluster create(String logs) throws IOException {
        return new Cluster(NetworkNamespaces.create(), Files.createTempDirectory(Path.of("/tmp"), "amber-mh"), logs);
    }

    /** A new machine on the cluster's network, for a server or a store the roles use. */
    NetworkNamespaces.Machine machine(String name, int address) throws IOException {
        return lan.machine(name, address);
    }

    Path data() {
        return data;
    }

    /** Starts `amber server` on {@code machine} with {@code settings} and waits for its API and admin key. */
    void startServer(NetworkNamespaces.Machine machine, Map<String, String> settings) throws Exception {
        server = AmberRole.server(machine, data.resolve("server")).withSettings(settings).start();
        servers.add(server);
        await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(server.alive()).as("amber server exited: %s", server.log()).isTrue();
            return Files.exists(server.data().resolve("admin.key")) && call(null, "GET", "/health", null).status() == 200;
        });
        admin = Files.readString(server.data().resolve("admin.key")).strip();
    }

    /**
     * Starts a further replica of the server on {@code machine}, on the first one's database (in
     * {@code settings}) and with its cluster CA, as an operator copies it; waits for its API.
     */
    AmberRole startReplica(NetworkNamespaces.Machine machine, Map<String, String> settings) throws Exception {
        Path replicaData = data.resolve("server-" + machine.address());
        Path ca = Files.createDirectories(replicaData.resolve("cluster-ca"));
        try (Stream<Path> files = Files.list(servers.getFirst().data().resolve("cluster-ca"))) {
            for (Path file : files.toList()) {
                Files.copy(file, ca.resolve(file.getFileName()));
            }
        }
        AmberRole replica = AmberRole.server(machine, replicaData).withSettings(settings).start();
        servers.add(replica);
        await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(replica.alive()).as("amber server replica exited: %s", replica.log()).isTrue();
            return callVia(replica, null, "GET", "/health", null).status() == 200;
        });
        return replica;
    }

    /** The replica the calls go to from now on. */
    void front(AmberRole replica) {
        server = replica;
    }

    AmberRole server() {
        return server;
    }

    /** The server replicas, the first one first. */
    List<AmberRole> replicas() {
        return servers;
    }

    /** The platform admin's key. */
    String admin() {
        return admin;
    }

    List<AmberRole> hosts() {
        return hosts;
    }

    /** Joins `amber host join` on a new machine {@code name} (address {@code .address}) with {@code token}. */
    AmberRole join(String name, int address, String token, Map<String, String> settings) throws IOException {
        AmberRole host = AmberRole.host(lan.machine(name, address), data.resolve(name), link(), token, name)
                .withSettings(settings).start();
        hosts.add(host);
        return host;
    }

    /** Where hosts register: the link port of every server replica. */
    String link() {
        return String.join(",", servers.stream().map(replica -> replica.machine().address() + ":7071").toList());
    }

    String token(String key, String route) throws Exception {
        Response response = call(key, "POST", route, "{\"ttlSec\":600}");
        assertThat(response.status()).as(response.json().toString()).isEqualTo(201);
        return response.json().path("token").asText();
    }

    /** Waits until {@code up} hosts are ready or draining (heard from, and serving). */
    void awaitHosts(String key, int up) {
        await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (AmberRole host : hosts) {
                assertThat(host.alive()).as("a host exited: %s", host.log()).isTrue();
            }
            int count = 0;
            for (JsonNode host : call(key, "GET", "/v1/hosts", null).json().path("items")) {
                count += Set.of("ready", "draining").contains(host.path("state").asText()) ? 1 : 0;
            }
            return count >= up;
        });
    }

    String awaitHostNamed(String key, String name) {
        return await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode host : call(key, "GET", "/v1/hosts", null).json().path("items")) {
                if (host.path("name").asText().equals(name) && host.path("state").asText().equals("ready")) {
                    return host.path("id").asText();
                }
            }
            return null;
        }, id -> id != null);
    }

    String hostState(String hostId) throws Exception {
        for (JsonNode host : call(admin, "GET", "/v1/hosts", null).json().path("items")) {
            if (host.path("id").asText().equals(hostId)) {
                return host.path("state").asText();
            }
        }
        return "";
    }

    JsonNode create(String key, String body) throws Exception {
        Response response = call(key, "POST", "/v1/sandboxes", body);
        assertThat(response.status()).as(response.json().toString()).isEqualTo(201);
        return response.json();
    }

    JsonNode sandbox(String key, String id) throws Exception {
        return call(key, "GET", "/v1/sandboxes/" + id, null).json();
    }

    String exec(String key, String sandbox, String script) throws Exception {
        String body = "{\"cmd\":[\"sh\",\"-c\"," + JSON.writeValueAsString(script) + "]}";
        Response response = call(key, "POST", "/v1/sandboxes/" + sandbox + "/exec", body);
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        return response.json().path("stdout").asText();
    }

    Response call(String key, String method, String path, String body) throws Exception {
        return callVia(server, key, method, path, body);
    }

    Response callVia(AmberRole replica, String key, String method, String path, String body) throws Exception {
        return replica.curl(key, method, "http://" + replica.machine().address() + ":7070" + path, body);
    }

    @Override
    public void close() throws Exception {
        if (admin != null) {
            for (JsonNode sandbox : call(admin, "GET", "/v1/sandboxes", null).json().path("items")) {
                call(admin, "DELETE", "/v1/sandboxes/" + sandbox.path("id").asText(), null);
            }
        }
        for (AmberRole host : hosts) {
            host.cleanUp();
        }
        for (AmberRole replica : servers) {
            replica.cleanUp();
        }
        lan.close();
        keepLogs();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        }
    }

    /** Each machine's log, kept in target/ for a failure's post-mortem (the data directories go). */
    private void keepLogs() throws IOException {
        Path kept = Files.createDirectories(Path.of("target", logs));
        try (Stream<Path> files = Files.walk(data)) {
            for (Path log : files.filter(path -> path.getFileName().toString().equals("role.log")).toList()) {
                Files.copy(log, kept.resolve(log.getParent().getFileName() + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
