package dev.amber.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.server.cluster.ClusterAuthority;
import dev.amber.server.db.Database;
import dev.amber.server.db.EmbeddedDatabase;
import dev.amber.server.db.PostgresPaths;
import dev.amber.server.host.HostDirectory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real control plane for tests: embedded PostgreSQL in a temporary directory, the HTTP API on a
 * free port, real HTTP calls. Hosts are added by the tests that need them.
 */
public final class ServerFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final EmbeddedDatabase postgres;
    private final Database database;
    private final AmberServer server;
    private final ClusterAuthority authority;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String adminKey;

    private ServerFixture(Path home, EmbeddedDatabase postgres, Database database, AmberServer server,
                          ClusterAuthority authority) throws IOException {
        this.home = home;
        this.authority = authority;
        this.postgres = postgres;
        this.database = database;
        this.server = server;
        this.adminKey = Files.readString(home.resolve("admin.key")).strip();
    }

    public static ServerFixture start(HostDirectory.HostConnector connector) throws IOException {
        return start(connector, ServerSettings.forTests());
    }

    public static ServerFixture start(HostDirectory.HostConnector connector, ServerSettings settings) throws IOException {
        Path home = Files.createTempDirectory("amber-server-test");
        EmbeddedDatabase postgres = EmbeddedDatabase.start(postgresPaths(home));
        Database database = Database.connect(postgres.jdbcUrl(), EmbeddedDatabase.USER, postgres.password());
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(home.resolve("cluster-ca"));
        AmberServer server = AmberServer.start(database, authority, connector, home.resolve("admin.key"), settings);
        return new ServerFixture(home, postgres, database, server, authority);
    }

    /**
     * The database's own files under {@code home}; the binaries in this module's build directory,
     * unpacked once for every test rather than once per fixture.
     */
    public static PostgresPaths postgresPaths(Path home) {
        return new PostgresPaths(home.resolve("postgres"), home.resolve("postgres-socket"),
                Path.of("target", "postgres-binaries").toAbsolutePath(), home.resolve("postgres.password"));
    }

    /** A fixture whose hosts can never be reached: for everything that must fail before a host is asked. */
    public static ServerFixture withoutHosts() throws IOException {
        return start((id, address) -> {
            throw new IOException("this test server connects to no host");
        });
    }

    public AmberServer server() {
        return server;
    }

    /** The cluster CA of this server (in {@code home}/cluster-ca). */
    public ClusterAuthority authority() {
        return authority;
    }

    public Database database() {
        return database;
    }

    /** The AMBER_HOME of this server: where admin.key is. */
    public Path home() {
        return home;
    }

    public String adminKey() {
        return adminKey;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public Response call(String method, String path, String key, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(120))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** A new team (created by the admin) and its first key. */
    public String newTeamKey(String name) throws IOException, InterruptedException {
        Response created = call("POST", "/v1/admin/teams", adminKey, "{\"name\":\"" + name + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("team creation failed: " + created);
        }
        return created.json().path("apiKey").path("secret").asText();
    }

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() throws IOException {
        server.close();
        database.close();
        postgres.close();
        try (var files = Files.walk(home)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Status and body of an HTTP response. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }

        public String errorMessage() {
            return json().path("error").path("message").asText();
        }
    }
}
