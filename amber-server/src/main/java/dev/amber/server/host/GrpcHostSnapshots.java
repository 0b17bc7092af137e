package dev.amber.server.host;

import dev.amber.proto.host.v1.DeleteImageRequest;
import dev.amber.proto.host.v1.DeleteSnapshotRequest;
import dev.amber.proto.host.v1.FlattenSnapshotRequest;
import dev.amber.proto.host.v1.ImportImageRequest;
import dev.amber.proto.host.v1.RestoreSandboxRequest;
import dev.amber.proto.host.v1.SnapshotSandboxRequest;
import dev.amber.proto.host.v1.SnapshotSandboxResponse;
import dev.amber.proto.host.v1.StoreStateRequest;

import java.time.Duration;

import static dev.amber.server.host.GrpcCalls.CALL_DEADLINE;
import static dev.amber.server.host.GrpcCalls.STATE_DEADLINE;
import static dev.amber.server.host.GrpcCalls.STORE_DEADLINE;
import static java.util.Objects.requireNonNull;

/** {@link HostSnapshots} over gRPC. */
final class GrpcHostSnapshots implements HostSnapshots {

    /** A flatten or an import writes a whole root disk (gigabytes on a big template). */
    private static final Duration FLATTEN_DEADLINE = Duration.ofMinutes(20);

    private final GrpcCalls calls;

    GrpcHostSnapshots(GrpcCalls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    @Override
    public SnapshotOutcome create(String sandboxId, String snapshotId) throws HostException {
        SnapshotSandboxResponse reply = calls.call(() -> calls.host().withDeadlineAfter(STATE_DEADLINE).snapshotSandbox(
                SnapshotSandboxRequest.newBuilder().setSandboxId(sandboxId).setSnapshotId(snapshotId).build()));
        return new SnapshotOutcome(reply.getPauseWindowMs(), reply.getDurationMs(), reply.getSizeBytes(),
                reply.getVcpus(), reply.getMemoryMb(), reply.getDiskSizeMb());
    }

    @Override
    public void restore(String sandboxId, String snapshotId) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(STATE_DEADLINE).restoreSandbox(RestoreSandboxRequest.newBuilder()
                .setSandboxId(sandboxId).setSnapshotId(snapshotId).build()));
    }

    @Override
    public StoredState store(String snapshotId) throws HostException {
        return ProtoConversions.stored(calls.call(() -> calls.host().withDeadlineAfter(STORE_DEADLINE)
                .storeState(StoreStateRequest.newBuilder().setSnapshotId(snapshotId).build())));
    }

    @Override
    public void delete(String snapshotId) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshotId).build()));
    }

    @Override
    public long flatten(String snapshotId, String imageId) throws HostException {
        return calls.call(() -> calls.host().withDeadlineAfter(FLATTEN_DEADLINE).flattenSnapshot(
                FlattenSnapshotRequest.newBuilder().setSnapshotId(snapshotId).setImageId(imageId).build())).getSizeBytes();
    }

    @Override
    public long importImage(String uri, String imageId, long diskSizeMb) throws HostException {
        return calls.call(() -> calls.host().withDeadlineAfter(FLATTEN_DEADLINE).importImage(ImportImageRequest
                .newBuilder().setUri(uri).setImageId(imageId).setDiskSizeMb(diskSizeMb).build())).getSizeBytes();
    }

    @Override
    public void deleteImage(String imageId) throws HostException {
        calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .deleteImage(DeleteImageRequest.newBuilder().setImageId(imageId).build()));
    }
}
