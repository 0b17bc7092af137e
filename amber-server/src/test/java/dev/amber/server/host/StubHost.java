package dev.amber.server.host;

import dev.amber.host.grpc.HostLink;
import dev.amber.host.grpc.HostRegistration;
import dev.amber.host.grpc.HostReport;
import dev.amber.proto.host.v1.BaseSize;
import dev.amber.proto.host.v1.DeleteImageRequest;
import dev.amber.proto.host.v1.DeleteImageResponse;
import dev.amber.proto.host.v1.DeleteSnapshotRequest;
import dev.amber.proto.host.v1.DeleteSnapshotResponse;
import dev.amber.proto.host.v1.DestroySandboxRequest;
import dev.amber.proto.host.v1.DestroySandboxResponse;
import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.HostAgentGrpc;
import dev.amber.proto.host.v1.HostFacts;
import dev.amber.proto.host.v1.ListSandboxesRequest;
import dev.amber.proto.host.v1.ListSandboxesResponse;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.host.v1.SandboxState;
import dev.amber.proto.host.v1.SandboxStatus;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.LinkServer;
import dev.amber.proto.link.PeerCheck;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hosts for tests of the control plane without VMs: for each host identity a real gRPC HostAgent on
 * loopback (mutual TLS, as a host's), all listing the sandboxes a test put on them and recording what
 * they were told to remove, and {@link HostLink}s that report fixed facts (4 cores, 8 GiB, a base
 * snapshot of 1 vCPU / 512 MiB, agent version test-1).
 */
public final class StubHost implements AutoCloseable {

    /** Heartbeats every 200 ms; retries from 100 ms to 400 ms. */
    public static final HostLink.Timing FAST = new HostLink.Timing(Duration.ofMillis(200), Duration.ofMillis(100),
            Duration.ofMillis(400));
    private static final HostFacts FACTS = HostFacts.newBuilder().setAccelerator("tcg").setAcceleratorReason("test")
            .setCpuCount(4).setMemoryTotalBytes(8L << 30).setMemoryAvailableBytes(6L << 30)
            .setDiskTotalBytes(100L << 30).setDiskFreeBytes(50L << 30).build();

    private final Map<String, LinkServer> agents = new ConcurrentHashMap<>();
    private final Map<String, SandboxState> sandboxes = new ConcurrentHashMap<>();
    private final List<String> removed = new CopyOnWriteArrayList<>();

    /** host:port of the agent of the host that linked as {@code name}. */
    public String address(String name) {
        return "127.0.0.1:" + agents.get(name).port();
    }

    /** The agent lists {@code sandboxId} as paused from now on. */
    public void holdPaused(String sandboxId) {
        sandboxes.put(sandboxId, SandboxState.SANDBOX_STATE_PAUSED);
    }

    public void forget(String sandboxId) {
        sandboxes.remove(sandboxId);
    }

    /** What the agent was told to remove, in order: the sandbox, snapshot and image ids. */
    public List<String> removed() {
        return List.copyOf(removed);
    }

    /**
     * Serves an agent as the host {@code identity} names (once per name), registers it as {@code name}
     * with the registry at {@code registryPort} and keeps the link up.
     */
    public HostLink link(int registryPort, String name, LinkCredentials identity) throws IOException {
        if (!agents.containsKey(name)) {
            agents.put(name, LinkServer.start(new InetSocketAddress("127.0.0.1", 0), identity,
                    identity.peer(PeerCheck.SERVER), List.of(new Agent()), List.of()));
        }
        return HostLink.start(HostRegistration.connect("127.0.0.1:" + registryPort, identity), new FixedReport(), name,
                address(name), FAST);
    }

    @Override
    public void close() {
        agents.values().forEach(LinkServer::close);
    }

    private final class Agent extends HostAgentGrpc.HostAgentImplBase {
        @Override
        public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> response) {
            ListSandboxesResponse.Builder list = ListSandboxesResponse.newBuilder();
            sandboxes.forEach((id, state) -> list.addSandboxes(SandboxStatus.newBuilder().setSandboxId(id).setState(state)));
            response.onNext(list.build());
            response.onCompleted();
        }

        @Override
        public void destroySandbox(DestroySandboxRequest request, StreamObserver<DestroySandboxResponse> response) {
            sandboxes.remove(request.getSandboxId());
            removed.add(request.getSandboxId());
            response.onNext(DestroySandboxResponse.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> response) {
            removed.add(request.getSnapshotId());
            response.onNext(DeleteSnapshotResponse.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void deleteImage(DeleteImageRequest request, StreamObserver<DeleteImageResponse> response) {
            removed.add(request.getImageId());
            response.onNext(DeleteImageResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private static final class FixedReport implements HostReport {
        @Override
        public RegisterRequest registration(String name, String address) {
            return RegisterRequest.newBuilder().setName(name).setAddress(address).setFacts(FACTS).build();
        }

        @Override
        public HeartbeatRequest heartbeat() {
            return HeartbeatRequest.newBuilder().setFacts(FACTS).setAgentVersion("test-1")
                    .addBaseSizes(BaseSize.newBuilder().setVcpus(1).setMemoryMb(512)).build();
        }
    }
}
