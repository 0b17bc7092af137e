package dev.amber.host.grpc;

import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.HeartbeatResponse;
import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.host.v1.RegisterResponse;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.LinkServer;
import dev.amber.proto.link.PeerIdentity;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One control plane replica's host registry on loopback, behind mutual TLS as the server's: it
 * knows the hosts that registered with it (each replica keeps its own view) and counts their
 * heartbeats. It can go down and come back on the same port, forgetting its hosts as a restarted
 * replica does, or refuse every host as a replica does a removed one.
 */
final class StubRegistry implements AutoCloseable {

    private final LinkCredentials credentials;
    private final int port;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    private volatile String refusal;
    private volatile LinkServer server;

    private StubRegistry(LinkCredentials credentials, int port) {
        this.credentials = credentials;
        this.port = port;
    }

    /** A replica serving on a free port. */
    static StubRegistry serving(LinkCredentials credentials) throws IOException {
        StubRegistry registry = down(credentials);
        registry.serve();
        return registry;
    }

    /** A replica that is down: nothing listens on its port until {@link #serve()}. */
    static StubRegistry down(LinkCredentials credentials) throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return new StubRegistry(credentials, free.getLocalPort());
        }
    }

    void serve() throws IOException {
        server = LinkServer.start(new InetSocketAddress("127.0.0.1", port), credentials, credentials.anyHost(),
                List.of(new Registry()), List.of());
    }

    /** Goes down, and forgets its hosts. */
    void stop() {
        server.close();
        known.clear();
    }

    /** From now on answers every registration NOT_FOUND with {@code why}. */
    void refuse(String why) {
        refusal = why;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    boolean knows(String hostId) {
        return known.contains(hostId);
    }

    int heartbeats(String hostId) {
        AtomicInteger count = heartbeats.get(hostId);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    private final class Registry extends HostRegistryGrpc.HostRegistryImplBase {
        @Override
        public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
            String hostId = PeerIdentity.current().orElseThrow();
            if (refusal != null) {
                response.onError(Status.NOT_FOUND.withDescription(refusal).asException());
                return;
            }
            known.add(hostId);
            response.onNext(RegisterResponse.newBuilder().setHostId(hostId).build());
            response.onCompleted();
        }

        @Override
        public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
            String hostId = PeerIdentity.current().orElseThrow();
            boolean isKnown = known.contains(hostId);
            if (isKnown) {
                heartbeats.computeIfAbsent(hostId, id -> new AtomicInteger()).incrementAndGet();
            }
            response.onNext(HeartbeatResponse.newBuilder().setKnown(isKnown).build());
            response.onCompleted();
        }
    }
}
