package dev.amber.host.grpc;

import dev.amber.host.TestAuthority;
import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.PeerCheck;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A host linked to several control plane replicas, each a real gRPC registry over mutual TLS: it
 * registers with and heartbeats to each on its own, so a replica that is down (at start or later)
 * does not disturb the others, and is registered with once it is up.
 */
class HostLinksTest {

    /** Heartbeats every 200 ms; retries from 100 ms to 400 ms. */
    private static final HostLink.Timing FAST = new HostLink.Timing(Duration.ofMillis(200), Duration.ofMillis(100),
            Duration.ofMillis(400));
    /** Covers gRPC's own reconnect backoff (1 s, growing) on a channel whose server was down. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final HostReport REPORT = new HostReport() {
        @Override
        public RegisterRequest registration(String name, String address) {
            return RegisterRequest.newBuilder().setName(name).setAddress(address).build();
        }

        @Override
        public HeartbeatRequest heartbeat() {
            return HeartbeatRequest.getDefaultInstance();
        }
    };

    private final TestAuthority authority = new TestAuthority();
    private final String hostId = "host-" + UUID.randomUUID();
    private final LinkCredentials host = authority.credentials(hostId);

    @Test
    void registersWithEveryReplicaAndHeartbeatsToEach() throws IOException {
        try (StubRegistry first = replica(); StubRegistry second = replica();
             HostLinks links = start(first, second)) {
            assertThat(links.hostId()).isEqualTo(hostId);
            assertThat(first.knows(hostId)).isTrue();
            assertThat(second.knows(hostId)).isTrue();
            await().atMost(PATIENCE).until(() -> first.heartbeats(hostId) >= 3 && second.heartbeats(hostId) >= 3);
        }
    }

    @Test
    void aReplicaDownAtStartIsRegisteredWithOnceItComesUp() throws IOException {
        try (StubRegistry up = replica(); StubRegistry down = StubRegistry.down(authority.credentials(PeerCheck.SERVER));
             HostLinks links = start(down, up)) {
            assertThat(links.hostId()).isEqualTo(hostId);
            assertThat(up.knows(hostId)).isTrue();
            assertThat(down.knows(hostId)).isFalse();

            down.serve();

            await().atMost(PATIENCE).until(() -> down.knows(hostId) && down.heartbeats(hostId) >= 2);
            int before = up.heartbeats(hostId);
            await().atMost(PATIENCE).until(() -> up.heartbeats(hostId) > before);
        }
    }

    @Test
    void aReplicaThatGoesDownLeavesTheOtherLinkedAndIsRegisteredWithAgainWhenBack() throws IOException {
        try (StubRegistry first = replica(); StubRegistry second = replica(); HostLinks links = start(first, second)) {
            first.stop();
            int before = second.heartbeats(hostId);
            await().atMost(PATIENCE).until(() -> second.heartbeats(hostId) >= before + 5);

            first.serve();

            await().atMost(PATIENCE).until(() -> first.knows(hostId) && first.heartbeats(hostId) >= 1);
            assertThat(second.knows(hostId)).isTrue();
        }
    }

    @Test
    void noReplicaReachableFailsTheStartWithTheErrorOfEach() throws IOException {
        try (StubRegistry first = StubRegistry.down(authority.credentials(PeerCheck.SERVER));
             StubRegistry second = StubRegistry.down(authority.credentials(PeerCheck.SERVER))) {
            assertThatThrownBy(() -> start(first, second).close())
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(HostRegistration.RefusedException.class)
                    .hasMessageContaining(first.address())
                    .hasMessageContaining(second.address());
        }
    }

    @Test
    void aRefusalByAnyReplicaFailsTheStartAndStopsReportingToTheOthers() throws IOException {
        try (StubRegistry accepting = replica(); StubRegistry refusing = replica()) {
            refusing.refuse("host " + hostId + " was removed");

            assertThatThrownBy(() -> start(accepting, refusing).close())
                    .isInstanceOf(HostRegistration.RefusedException.class)
                    .hasMessageContaining(refusing.address())
                    .hasMessageContaining("was removed");
            int after = accepting.heartbeats(hostId);
            assertThat(accepting.knows(hostId)).isTrue();
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                    .until(() -> accepting.heartbeats(hostId) == after);
        }
    }

    private StubRegistry replica() throws IOException {
        return StubRegistry.serving(authority.credentials(PeerCheck.SERVER));
    }

    private HostLinks start(StubRegistry... replicas) throws IOException {
        List<String> servers = List.of(replicas).stream().map(StubRegistry::address).toList();
        return HostLinks.start(servers, host, REPORT, "worker-1", "127.0.0.1:7072", FAST);
    }
}
