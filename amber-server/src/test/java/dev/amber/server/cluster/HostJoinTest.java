package dev.amber.server.cluster;

import dev.amber.host.join.HostIdentity;
import dev.amber.host.join.JoinClient;
import dev.amber.proto.host.v1.HostFacts;
import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.link.JoinToken;
import dev.amber.proto.link.LinkChannel;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.PeerCheck;
import dev.amber.server.ServerFixture;
import dev.amber.server.host.GrpcHostClient;
import dev.amber.server.host.HostRegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hosts joining a real control plane (database, link port) with join tokens over real sockets, and
 * registering afterwards with the identity they got.
 */
class HostJoinTest {

    @TempDir
    static Path directory;

    private static ServerFixture server;
    private static LinkCredentials serverLink;
    private static HostRegistryServer registry;

    @BeforeAll
    static void start() throws IOException {
        server = ServerFixture.start((id, address) -> GrpcHostClient.connect(address, serverLink, id));
        serverLink = server.authority().serverCredentials();
        registry = HostRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), serverLink, server.server().hosts(),
                server.server().join());
    }

    @AfterAll
    static void stop() throws IOException {
        registry.close();
        server.close();
    }

    @Test
    void aTokenJoinsOneHostAndIsRefusedTheSecondTime() throws Exception {
        String token = adminToken();
        HostIdentity identity = JoinClient.join(List.of(registryAddress()), token, "join-once", "10.0.0.1:7001", identityDir());
        assertThat(identity.hostId()).matches("host-[0-9a-f-]{36}");
        assertThat(row("join-once")).contains(new Row(identity.hostId(), "10.0.0.1:7001", "unreachable"));

        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), token, "join-twice", "10.0.0.2:7001", identityDir()))
                .isInstanceOf(JoinClient.RefusedException.class).hasMessageContaining("has been used already");
        assertThat(row("join-twice")).isEmpty();
    }

    @Test
    void theIdentityIsKeptWithAPrivateKeyAndLoadsAgain() throws Exception {
        Path dir = identityDir();
        HostIdentity joined = JoinClient.join(List.of(registryAddress()), adminToken(), "kept", "10.0.0.3:7001", dir);
        assertThat(Files.getPosixFilePermissions(dir.resolve("key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        HostIdentity loaded = HostIdentity.load(dir);
        assertThat(loaded.hostId()).isEqualTo(joined.hostId());
        assertThat(loaded.credentials().ca()).isEqualTo(server.authority().certificate());

        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), adminToken(), "kept-again", "10.0.0.3:7001", dir))
                .isInstanceOf(JoinClient.RefusedException.class).hasMessageContaining("has joined a cluster already");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = adminToken();
        server.database().jdbi().useHandle(handle -> handle.execute(
                "update host_join_tokens set expires_at = now() - interval '1 second' where used_at is null"));
        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), token, "too-late", "10.0.0.4:7001", identityDir()))
                .isInstanceOf(JoinClient.RefusedException.class).hasMessageContaining("has expired");
        assertThat(row("too-late")).isEmpty();
    }

    @Test
    void aTokenForAnotherClusterIsRefusedByTheHostBeforeItIsSent() throws Exception {
        JoinToken token = JoinToken.parse(adminToken());
        String otherCa = ClusterAuthority.loadOrCreate(directory.resolve("other-ca")).fingerprint();
        String forged = new JoinToken(token.secret(), otherCa).text();
        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), forged, "misled", "10.0.0.5:7001", identityDir()))
                .isInstanceOf(JoinClient.RefusedException.class)
                .hasMessageContaining("is not the cluster this token is for, so the token was not sent");
        // the secret never reached the server: the real token still works
        JoinClient.join(List.of(registryAddress()), token.text(), "not-misled", "10.0.0.5:7001", identityDir());
        assertThat(row("not-misled")).isPresent();
    }

    @Test
    void aMalformedOrUnknownTokenIsRefused() {
        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), "amberjoin_short", "bad", "10.0.0.6:7001", identityDir()))
                .isInstanceOf(JoinClient.RefusedException.class).hasMessageContaining("not a join token");
        String unknown = JoinToken.generate(server.authority().fingerprint()).text();
        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), unknown, "bad", "10.0.0.6:7001", identityDir()))
                .isInstanceOf(JoinClient.RefusedException.class).hasMessageContaining("not known to this cluster");
    }

    @Test
    void aBadRequestLeavesTheTokenUsable() throws Exception {
        String token = adminToken();
        assertThatThrownBy(() -> JoinClient.join(List.of(registryAddress()), token, "no-port", "10.0.0.7", identityDir()))
                .isInstanceOf(JoinClient.RefusedException.class).hasMessageContaining("address must be host:port");
        JoinClient.join(List.of(registryAddress()), token, "with-port", "10.0.0.7:7001", identityDir());
        assertThat(row("with-port")).isPresent();
    }

    @Test
    void aTeamsTokenJoinsAHostOfThatTeam() throws Exception {
        ServerFixture.Response team = server.call("POST", "/v1/admin/teams", server.adminKey(), "{\"name\":\"join-team\"}");
        String teamId = team.json().path("team").path("id").asText();
        String key = team.json().path("apiKey").path("secret").asText();
        server.call("PUT", "/v1/admin/teams/" + teamId + "/byoc", server.adminKey(), "{\"enabled\": true}");
        ServerFixture.Response token = server.call("POST", "/v1/hosts/tokens", key, null);
        assertThat(token.status()).as(token.body()).isEqualTo(201);

        JoinClient.join(List.of(registryAddress()), token.json().path("token").asText(), "team-box", "10.0.2.1:7001", identityDir());
        assertThat(teamOf("team-box")).contains(teamId);
        JoinClient.join(List.of(registryAddress()), adminToken(), "platform-box", "10.0.2.2:7001", identityDir());
        assertThat(teamOf("platform-box")).isEmpty();
    }

    @Test
    void aHostsCertificateRegistersItselfNeverAnotherHost() throws Exception {
        HostIdentity a = JoinClient.join(List.of(registryAddress()), adminToken(), "host-a", "10.0.1.1:7001", identityDir());
        HostIdentity b = JoinClient.join(List.of(registryAddress()), adminToken(), "host-b", "10.0.1.2:7001", identityDir());
        try (LinkChannel channel = LinkChannel.open(registryAddress(), a.credentials(), a.credentials().peer(PeerCheck.SERVER))) {
            String registeredAs = HostRegistryGrpc.newBlockingV2Stub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(10))
                    .register(RegisterRequest.newBuilder().setName("host-b").setAddress("10.0.9.9:7001")
                            .setFacts(HostFacts.getDefaultInstance()).build())
                    .getHostId();
            assertThat(registeredAs).isEqualTo(a.hostId());
        }
        assertThat(row("host-b")).contains(new Row(b.hostId(), "10.0.1.2:7001", "unreachable"));
        assertThat(row("host-a")).get().extracting(Row::address).isEqualTo("10.0.9.9:7001");
    }

    // ---- helpers ----

    private static String registryAddress() {
        return "127.0.0.1:" + registry.port();
    }

    private static Path identityDir() {
        return directory.resolve("identity-" + UUID.randomUUID());
    }

    private static String adminToken() throws Exception {
        ServerFixture.Response created = server.call("POST", "/v1/admin/hosts/tokens", server.adminKey(), "{\"ttlSec\": 600}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("token").asText();
    }

    private record Row(String id, String address, String state) {}

    private static Optional<String> teamOf(String host) {
        return server.database().jdbi().withHandle(handle -> handle.createQuery(
                        "select 'team-' || team_id from hosts where name = :name and team_id is not null")
                .bind("name", host).mapTo(String.class).findOne());
    }

    private static Optional<Row> row(String name) {
        return server.database().jdbi().withHandle(handle -> handle.createQuery(
                        "select 'host-' || id as id, address, state from hosts where name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("address"), rs.getString("state")))
                .findOne());
    }

}
