package dev.amber.server.cluster;

import dev.amber.proto.host.v1.HostAgentGrpc;
import dev.amber.proto.host.v1.HostFacts;
import dev.amber.proto.host.v1.HostJoinGrpc;
import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.ListSandboxesRequest;
import dev.amber.proto.host.v1.ListSandboxesResponse;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.host.v1.RegisterResponse;
import dev.amber.proto.link.LinkChannel;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.LinkServer;
import dev.amber.proto.link.PeerCheck;
import dev.amber.proto.link.PeerRefusedException;
import dev.amber.server.Ids;
import dev.amber.server.host.GrpcHostClient;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostHeartbeat;
import dev.amber.server.host.HostRegistrations;
import dev.amber.server.host.HostRegistryServer;
import dev.amber.server.host.HostSandboxes;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who gets through the link's two kinds of port, over real sockets: the control plane's registry
 * port (mutual TLS, certificate optional for Join only) and a host agent's port (mutual TLS, only
 * {@code amber-server}), served as {@code HostAgentServer} serves it but with a stand-in service.
 */
class LinkRefusalTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    static Path directory;

    private static LinkCredentials serverLink;
    private static LinkCredentials hostLink;
    private static UUID hostId;
    private static LinkCredentials foreignServer;
    private static LinkCredentials foreignHost;
    private static final Map<UUID, String> registered = new ConcurrentHashMap<>();
    private static HostRegistryServer registry;
    private static LinkServer agent;

    @BeforeAll
    static void start() throws IOException {
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(directory.resolve("cluster-ca"));
        serverLink = authority.serverCredentials();
        hostId = UUID.randomUUID();
        hostLink = authority.hostCredentials(Ids.HOST.format(hostId));
        ClusterAuthority foreign = ClusterAuthority.loadOrCreate(directory.resolve("foreign-ca"));
        foreignServer = foreign.serverCredentials();
        foreignHost = foreign.hostCredentials(Ids.HOST.format(hostId));
        registry = HostRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), serverLink, new Recording(),
                new HostJoinGrpc.HostJoinImplBase() { });
        agent = LinkServer.start(new InetSocketAddress("127.0.0.1", 0), hostLink, hostLink.peer(PeerCheck.SERVER),
                List.of(new EmptyAgent()), List.of());
    }

    @AfterAll
    static void stop() {
        registry.close();
        agent.close();
    }

    @Test
    void aHostRegistersWithItsCertificateAsTheIdItNames() throws Exception {
        try (LinkChannel channel = LinkChannel.open(registryAddress(), hostLink, hostLink.peer(PeerCheck.SERVER))) {
            assertThat(register(channel.channel(), "any-name").getHostId()).isEqualTo(Ids.HOST.format(hostId));
        }
        assertThat(registered).containsEntry(hostId, "any-name");
    }

    @Test
    void aPlaintextClientIsRefusedByTheRegistry() {
        assertRefused(plaintext(registryAddress()), channel -> register(channel, "plain"), Status.Code.UNAVAILABLE);
    }

    @Test
    void aClientWithoutACertificateMayNotRegister() {
        try (LinkChannel channel = LinkChannel.openAnonymous(registryAddress(), serverLink.peer(PeerCheck.SERVER))) {
            assertThatThrownBy(() -> register(channel.channel(), "anonymous")).isInstanceOfSatisfying(StatusException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void aHostCertificateOfAnotherClusterIsRefusedByTheRegistry() {
        try (LinkChannel channel = LinkChannel.open(registryAddress(), foreignHost, serverLink.peer(PeerCheck.SERVER))) {
            assertThatThrownBy(() -> register(channel.channel(), "foreign")).isInstanceOfSatisfying(StatusException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(registered).doesNotContainValue("foreign");
    }

    @Test
    void aHostRefusesARegistryOfAnotherCluster() throws IOException {
        try (HostRegistryServer impostor = HostRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), foreignServer,
                new Recording(), new HostJoinGrpc.HostJoinImplBase() { });
             LinkChannel channel = LinkChannel.open("127.0.0.1:" + impostor.port(), hostLink, hostLink.peer(PeerCheck.SERVER))) {
            assertThatThrownBy(() -> register(channel.channel(), "misled")).isInstanceOfSatisfying(StatusException.class,
                    e -> assertThat(e).hasStackTraceContaining(PeerRefusedException.class.getName()
                            + ": the peer's certificate (CN=amber-server) is not issued by this cluster's CA"));
        }
    }

    @Test
    void theServerReachesTheHostItExpects() throws HostException {
        try (GrpcHostClient client = GrpcHostClient.connect(agentAddress(), serverLink, hostId)) {
            assertThat(client.sandboxes().list()).isEmpty();
        }
    }

    @Test
    void theServerRefusesAHostWhoseCertificateNamesAnotherHost() {
        UUID expected = UUID.randomUUID();
        try (GrpcHostClient client = GrpcHostClient.connect(agentAddress(), serverLink, expected)) {
            assertThatThrownBy(() -> client.sandboxes().list()).isInstanceOfSatisfying(HostException.class, e -> {
                assertThat(e.kind()).isEqualTo(HostException.Kind.UNAVAILABLE);
                assertThat(e.getMessage()).contains("names " + Ids.HOST.format(hostId))
                        .contains("expected " + Ids.HOST.format(expected));
            });
        }
    }

    @Test
    void aPlaintextClientIsRefusedByAHost() {
        assertRefused(plaintext(agentAddress()), LinkRefusalTest::listSandboxes, Status.Code.UNAVAILABLE);
    }

    @Test
    void aServerOfAnotherClusterIsRefusedByAHost() {
        try (GrpcHostClient client = GrpcHostClient.connect(agentAddress(), foreignServer, hostId)) {
            assertThatThrownBy(() -> client.sandboxes().list()).isInstanceOfSatisfying(HostException.class,
                    e -> assertThat(e.kind()).isEqualTo(HostException.Kind.UNAVAILABLE));
        }
    }

    @Test
    void onlyTheServerMayCallAHostNotAnotherHost() {
        try (LinkChannel channel = LinkChannel.open(agentAddress(), hostLink, hostLink.peer(Ids.HOST.format(hostId)))) {
            assertThatThrownBy(() -> listSandboxes(channel.channel())).isInstanceOfSatisfying(StatusException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedByAHost() {
        try (LinkChannel channel = LinkChannel.openAnonymous(agentAddress(), hostLink.peer(Ids.HOST.format(hostId)))) {
            assertThatThrownBy(() -> listSandboxes(channel.channel())).isInstanceOfSatisfying(StatusException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    // ---- helpers ----

    private static String registryAddress() {
        return "127.0.0.1:" + registry.port();
    }

    private static String agentAddress() {
        return "127.0.0.1:" + agent.port();
    }

    private static RegisterResponse register(Channel channel, String name) throws StatusException {
        return HostRegistryGrpc.newBlockingV2Stub(channel).withDeadlineAfter(DEADLINE).register(RegisterRequest.newBuilder()
                .setName(name).setAddress("127.0.0.1:1").setFacts(HostFacts.getDefaultInstance()).build());
    }

    private static ListSandboxesResponse listSandboxes(Channel channel) throws StatusException {
        return HostAgentGrpc.newBlockingV2Stub(channel).withDeadlineAfter(DEADLINE)
                .listSandboxes(ListSandboxesRequest.getDefaultInstance());
    }

    private static ManagedChannel plaintext(String address) {
        return NettyChannelBuilder.forTarget(address).usePlaintext().build();
    }

    private interface Call {
        Object run(Channel channel) throws StatusException;
    }

    private static void assertRefused(ManagedChannel channel, Call call, Status.Code code) {
        try {
            assertThatThrownBy(() -> call.run(channel)).isInstanceOfSatisfying(StatusException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The control plane's side of registering, reduced to remembering who registered under which name. */
    private static final class Recording implements HostRegistrations {
        @Override
        public boolean register(UUID id, String name, String address, HostClient.HostFacts facts,
                                List<HostSandboxes.HostSandbox> sandboxes) {
            registered.put(id, name);
            return true;
        }

        @Override
        public boolean heartbeat(UUID id, HostHeartbeat heartbeat) {
            return registered.containsKey(id);
        }
    }

    /** A host with nothing on it: enough to see who may call. */
    private static final class EmptyAgent extends HostAgentGrpc.HostAgentImplBase {
        @Override
        public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> response) {
            response.onNext(ListSandboxesResponse.getDefaultInstance());
            response.onCompleted();
        }
    }
}
