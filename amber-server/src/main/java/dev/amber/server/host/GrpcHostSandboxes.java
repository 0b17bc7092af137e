package dev.amber.server.host;

import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.proto.host.v1.CreateSandboxRequest;
import dev.amber.proto.host.v1.DestroySandboxRequest;
import dev.amber.proto.host.v1.ListSandboxesRequest;
import dev.amber.proto.host.v1.PauseSandboxRequest;
import dev.amber.proto.host.v1.PauseSandboxResponse;
import dev.amber.proto.host.v1.ResumeSandboxRequest;
import dev.amber.proto.host.v1.SetNetworkPolicyRequest;
import dev.amber.proto.host.v1.StoreStateRequest;

import java.time.Duration;
import java.util.List;

import static dev.amber.server.host.GrpcCalls.CALL_DEADLINE;
import static dev.amber.server.host.GrpcCalls.STATE_DEADLINE;
import static dev.amber.server.host.GrpcCalls.STORE_DEADLINE;
import static java.util.Objects.requireNonNull;

/** {@link HostSandboxes} over gRPC. */
final class GrpcHostSandboxes implements HostSandboxes {

    /** A boot, or a restore of a whole snapshot. */
    private static final Duration CREATE_DEADLINE = Duration.ofSeconds(120);

    private final GrpcCalls calls;

    GrpcHostSandboxes(GrpcCalls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    @Override
    public void create(String sandboxId, int vcpus, int memoryMb, long diskSizeMb, NetworkSettings network,
                       String snapshotId, String imageId) throws HostException {
        CreateSandboxRequest.Builder request = CreateSandboxRequest.newBuilder()
                .setSandboxId(sandboxId).setVcpus(vcpus).setMemoryMb(memoryMb).setDiskSizeMb(diskSizeMb)
                .setNetwork(ProtoConversions.policy(network));
        if (snapshotId != null) {
            request.setSnapshotId(snapshotId);
        }
        if (imageId != null) {
            request.setImageId(imageId);
        }
        calls.call(() -> calls.host().withDeadlineAfter(CREATE_DEADLINE).createSandbox(request.build()));
    }

    @Override
    public void setNetworkPolicy(String sandboxId, NetworkSettings network) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE).setNetworkPolicy(SetNetworkPolicyRequest
                .newBuilder().setSandboxId(sandboxId).setNetwork(ProtoConversions.policy(network)).build()));
    }

    @Override
    public void destroy(String sandboxId) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .destroySandbox(DestroySandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
    }

    @Override
    public PauseOutcome pause(String sandboxId) throws HostException {
        PauseSandboxResponse reply = calls.call(() -> calls.host().withDeadlineAfter(STATE_DEADLINE)
                .pauseSandbox(PauseSandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
        return new PauseOutcome(reply.getDurationMs(), reply.getStateBytes());
    }

    @Override
    public void resume(String sandboxId, NetworkSettings network) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(STATE_DEADLINE).resumeSandbox(ResumeSandboxRequest.newBuilder()
                .setSandboxId(sandboxId).setNetwork(ProtoConversions.policy(network)).build()));
    }

    @Override
    public void resumeStored(String sandboxId, NetworkSettings network, String storedStateId) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(STORE_DEADLINE).resumeSandbox(ResumeSandboxRequest.newBuilder()
                .setSandboxId(sandboxId).setNetwork(ProtoConversions.policy(network)).setStoredStateId(storedStateId)
                .build()));
    }

    @Override
    public StoredState store(String sandboxId) throws HostException {
        return ProtoConversions.stored(calls.call(() -> calls.host().withDeadlineAfter(STORE_DEADLINE)
                .storeState(StoreStateRequest.newBuilder().setSandboxId(sandboxId).build())));
    }

    @Override
    public List<HostSandbox> list() throws HostException {
        return calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                        .listSandboxes(ListSandboxesRequest.getDefaultInstance()))
                .getSandboxesList().stream().map(ProtoConversions::sandbox).toList();
    }
}
