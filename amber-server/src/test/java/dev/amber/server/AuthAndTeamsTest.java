package dev.amber.server;

import dev.amber.server.ServerFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAndTeamsTest {

    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.withoutHosts();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void missingOrInvalidKeysAreRefusedWith401() throws Exception {
        Response missing = server.call("GET", "/v1/sandboxes", null, null);
        Response invalid = server.call("GET", "/v1/sandboxes", "amb_not-a-real-key", null);
        Response notOurs = server.call("GET", "/v1/teams/me", "sk-something-else", null);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorCode()).isEqualTo("unauthorized");
        assertThat(missing.errorMessage()).contains("X-API-Key");
        assertThat(invalid.status()).isEqualTo(401);
        assertThat(notOurs.status()).isEqualTo(401);
    }

    @Test
    void bearerTokenWorksLikeTheKeyHeader() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/v1/teams/me"))
                .header("Authorization", "Bearer " + server.adminKey()).build();
        var response = server.http().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"platform\"");
    }

    @Test
    void nonAdminsGet403OnAdminRoutes() throws Exception {
        String key = server.newTeamKey("not-admins");

        assertThat(server.call("GET", "/v1/admin/teams", key, null).status()).isEqualTo(403);
        assertThat(server.call("POST", "/v1/admin/teams", key, "{\"name\":\"sneaky\"}").status()).isEqualTo(403);
        assertThat(server.call("POST", "/v1/admin/hosts/tokens", key, "{}").status()).isEqualTo(403);
        assertThat(server.call("GET", "/v1/admin/teams", server.adminKey(), null).status()).isEqualTo(200);
    }

    @Test
    void apiKeysAreShownOnceAndStoredHashed() throws Exception {
        String teamKey = server.newTeamKey("key-owners");
        Response created = server.call("POST", "/v1/api-keys", teamKey, "{\"name\":\"ci\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("amb_").hasSize(44);

        Response listed = server.call("GET", "/v1/api-keys", teamKey, null);
        assertThat(listed.body()).doesNotContain(secret);
        assertThat(listed.json().path("items")).hasSize(2);
        assertThat(server.call("GET", "/v1/teams/me", secret, null).json().path("name").asText()).isEqualTo("key-owners");

        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes());
        String stored = server.database().jdbi().withHandle(handle -> handle.createQuery(
                        "select encode(secret_hash, 'hex') from api_keys where id = :id")
                .bind("id", java.util.UUID.fromString(created.json().path("id").asText().substring(4)))
                .mapTo(String.class).one());
        assertThat(stored).isEqualTo(HexFormat.of().formatHex(hash));
        String plaintextRows = server.database().jdbi().withHandle(handle -> handle.createQuery(
                "select count(*) from api_keys where encode(secret_hash, 'escape') like '%' || :secret || '%'")
                .bind("secret", secret).mapTo(String.class).one());
        assertThat(plaintextRows).isEqualTo("0");

        String id = created.json().path("id").asText();
        assertThat(server.call("DELETE", "/v1/api-keys/" + id, teamKey, null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/v1/teams/me", secret, null).status()).isEqualTo(401);
    }

    @Test
    void anotherTeamsKeyCannotBeDeleted() throws Exception {
        String a = server.newTeamKey("keys-a");
        String b = server.newTeamKey("keys-b");
        String aKeyId = server.call("POST", "/v1/api-keys", a, "{\"name\":\"x\"}").json().path("id").asText();

        Response attempt = server.call("DELETE", "/v1/api-keys/" + aKeyId, b, null);

        assertThat(attempt.status()).isEqualTo(404);
        assertThat(server.call("GET", "/v1/api-keys", a, null).json().path("items")).hasSize(2);
    }

    @Test
    void adminKeyFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = server.home().resolve("admin.key");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(server.call("GET", "/v1/teams/me", Files.readString(file).strip(), null).status()).isEqualTo(200);
    }

    @Test
    void duplicateTeamNamesConflict() throws Exception {
        server.newTeamKey("twice");

        Response again = server.call("POST", "/v1/admin/teams", server.adminKey(), "{\"name\":\"twice\"}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorMessage()).contains("twice");
    }

    @Test
    void healthIsUpButNotReadyWithoutAHost() throws Exception {
        assertThat(server.call("GET", "/health", null, null).status()).isEqualTo(200);
        Response ready = server.call("GET", "/ready", null, null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("database").asText()).isEqualTo("up");
        assertThat(ready.json().path("hosts").asInt()).isZero();
    }

    @Test
    void unknownRoutesAnswerAJsonNotFound() throws Exception {
        Response response = server.call("GET", "/v1/no-such-thing", server.adminKey(), null);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("not_found");
    }
}
