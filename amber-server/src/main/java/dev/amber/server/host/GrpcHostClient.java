package dev.amber.server.host;

import dev.amber.api.metrics.MetricPoint;
import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.proto.host.v1.FactsRequest;
import dev.amber.proto.host.v1.HostAgentGrpc;
import dev.amber.proto.host.v1.SandboxMetricsRequest;
import dev.amber.proto.link.LinkChannel;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.server.Ids;

import java.util.List;
import java.util.UUID;

import static dev.amber.server.host.GrpcCalls.CALL_DEADLINE;
import static dev.amber.server.host.GrpcCalls.CONNECTION_DEADLINE;

/**
 * A host reached over gRPC: one channel, shared by every concern. Each call has a deadline, and
 * its failures are classified by {@link GrpcCalls}.
 */
public final class GrpcHostClient implements HostClient {

    private final LinkChannel channel;
    private final GrpcCalls calls;
    private final HostSandboxes sandboxes;
    private final HostSnapshots snapshots;
    private final HostProcesses processes;
    private final HostFiles files;

    private GrpcHostClient(LinkChannel channel) {
        this.channel = channel;
        this.calls = new GrpcCalls(HostAgentGrpc.newBlockingV2Stub(channel.channel()));
        this.sandboxes = new GrpcHostSandboxes(calls);
        this.snapshots = new GrpcHostSnapshots(calls);
        this.processes = new GrpcHostProcesses(calls);
        this.files = new GrpcHostFiles(calls);
    }

    /**
     * {@code address}: host:port of the agent server of host {@code hostId} ({@code host-<uuid>}):
     * whatever answers there must prove it is that host with a certificate of the cluster's CA.
     */
    public static GrpcHostClient connect(String address, LinkCredentials server, UUID hostId) {
        return new GrpcHostClient(LinkChannel.open(address, server, server.peer(Ids.HOST.format(hostId))));
    }

    @Override
    public HostFacts facts() throws HostException {
        return ProtoConversions.facts(calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .facts(FactsRequest.getDefaultInstance())));
    }

    @Override
    public HostSandboxes sandboxes() {
        return sandboxes;
    }

    @Override
    public HostSnapshots snapshots() {
        return snapshots;
    }

    @Override
    public HostProcesses processes() {
        return processes;
    }

    @Override
    public HostFiles files() {
        return files;
    }

    @Override
    public HostPorts ports() {
        return (sandboxId, port) -> new GrpcPortConnection(calls.host().withDeadlineAfter(CONNECTION_DEADLINE).openPort(),
                calls::failure).open(sandboxId, port);
    }

    @Override
    public HostMetrics metrics() {
        return this::metrics;
    }

    private List<SandboxMetrics> metrics(String sandboxId, String range) throws HostException {
        SandboxMetricsRequest.Builder request = SandboxMetricsRequest.newBuilder().setSandboxId(sandboxId);
        if (range != null) {
            request.setRange(range);
        }
        return calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE).sandboxMetrics(request.build()))
                .getSeriesList().stream()
                .map(series -> new SandboxMetrics(series.getRange(), series.getIntervalMs(), series.getPointsList().stream()
                        .map(point -> new MetricPoint(point.getTimeMs(), point.getCpuPercent(), point.getMemoryBytes(),
                                point.getDiskBytes()))
                        .toList()))
                .toList();
    }

    @Override
    public void close() {
        channel.close();
    }
}
