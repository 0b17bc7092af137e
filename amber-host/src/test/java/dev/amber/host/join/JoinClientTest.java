package dev.amber.host.join;

import com.google.protobuf.ByteString;
import dev.amber.host.TestAuthority;
import dev.amber.proto.host.v1.HostJoinGrpc;
import dev.amber.proto.host.v1.JoinRequest;
import dev.amber.proto.host.v1.JoinResponse;
import dev.amber.proto.link.JoinToken;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.LinkServer;
import dev.amber.proto.link.PeerCheck;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Joining through a list of server replicas, each a real gRPC join service behind TLS: the token
 * goes to the first that answers; a replica that is down is passed over, one that refuses the token
 * ends the join.
 */
class JoinClientTest {

    private final TestAuthority authority = new TestAuthority();
    private final String token = JoinToken.generate(PeerCheck.fingerprint(authority.certificate())).text();
    @TempDir
    private Path data;

    @Test
    void joinsThroughTheFirstReplicaThatAnswers() throws Exception {
        try (StubJoin answering = new StubJoin(null)) {
            HostIdentity identity = JoinClient.join(List.of(closedAddress(), answering.address()), token, "worker-1",
                    "10.0.0.2:7072", identityDir());

            assertThat(identity.hostId()).matches("host-[0-9a-f-]{36}");
            assertThat(answering.calls()).isEqualTo(1);
            assertThat(HostIdentity.load(identityDir()).hostId()).isEqualTo(identity.hostId());
        }
    }

    @Test
    void aReplicaThatRefusesTheTokenEndsTheJoin() throws Exception {
        try (StubJoin refusing = new StubJoin("this join token was used already"); StubJoin answering = new StubJoin(null)) {
            assertThatThrownBy(() -> JoinClient.join(List.of(refusing.address(), answering.address()), token, "worker-1",
                    "10.0.0.2:7072", identityDir()))
                    .isInstanceOf(JoinClient.RefusedException.class)
                    .hasMessageContaining(refusing.address())
                    .hasMessageContaining("was used already");
            assertThat(answering.calls()).isZero();
            assertThat(identityDir()).doesNotExist();
        }
    }

    @Test
    void noReplicaReachableFailsWithTheErrorOfEach() throws Exception {
        String first = closedAddress();
        String second = closedAddress();

        assertThatThrownBy(() -> JoinClient.join(List.of(first, second), token, "worker-1", "10.0.0.2:7072", identityDir()))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(JoinClient.RefusedException.class)
                .hasMessageContaining("could not join through " + first)
                .hasMessageContaining("could not join through " + second);
        assertThat(identityDir()).doesNotExist();
    }

    private Path identityDir() {
        return data.resolve("host-identity");
    }

    private static String closedAddress() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return "127.0.0.1:" + free.getLocalPort();
        }
    }

    /** A replica's join service: issues the host's certificate from the test CA, or refuses every token with {@code refusal}. */
    private final class StubJoin extends HostJoinGrpc.HostJoinImplBase implements AutoCloseable {

        private final String refusal;
        private final AtomicInteger calls = new AtomicInteger();
        private final LinkServer server;

        StubJoin(String refusal) throws IOException {
            this.refusal = refusal;
            LinkCredentials credentials = authority.credentials(PeerCheck.SERVER);
            this.server = LinkServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, credentials.anyHost(),
                    List.of(), List.of(this));
        }

        String address() {
            return "127.0.0.1:" + server.port();
        }

        int calls() {
            return calls.get();
        }

        @Override
        public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
            calls.incrementAndGet();
            if (refusal != null) {
                response.onError(Status.PERMISSION_DENIED.withDescription(refusal).asException());
                return;
            }
            String hostId = "host-" + UUID.randomUUID();
            try {
                PublicKey key = new JcaPKCS10CertificationRequest(request.getCsr().toByteArray()).getPublicKey();
                response.onNext(JoinResponse.newBuilder().setHostId(hostId)
                        .setCertificate(ByteString.copyFrom(authority.issue(hostId, key).getEncoded()))
                        .setCa(ByteString.copyFrom(authority.certificate().getEncoded())).build());
                response.onCompleted();
            } catch (IOException | GeneralSecurityException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
