package dev.amber.host.grpc;

import com.google.protobuf.ByteString;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.durable.DurableStates;
import dev.amber.host.sandbox.SandboxNotFoundException;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.snapshot.PauseResult;
import dev.amber.host.snapshot.SnapshotResult;
import dev.amber.host.vm.MachineResources;
import dev.amber.proto.host.v1.CreateSandboxRequest;
import dev.amber.proto.host.v1.CreateSandboxResponse;
import dev.amber.proto.host.v1.SetNetworkPolicyRequest;
import dev.amber.proto.host.v1.SetNetworkPolicyResponse;
import dev.amber.proto.host.v1.DestroySandboxRequest;
import dev.amber.proto.host.v1.DestroySandboxResponse;
import dev.amber.proto.host.v1.DeleteSnapshotRequest;
import dev.amber.proto.host.v1.DeleteSnapshotResponse;
import dev.amber.proto.host.v1.DeleteImageRequest;
import dev.amber.proto.host.v1.DeleteImageResponse;
import dev.amber.proto.host.v1.FlattenSnapshotRequest;
import dev.amber.proto.host.v1.FlattenSnapshotResponse;
import dev.amber.proto.host.v1.ImportImageRequest;
import dev.amber.proto.host.v1.ImportImageResponse;
import dev.amber.proto.host.v1.PauseSandboxRequest;
import dev.amber.proto.host.v1.PauseSandboxResponse;
import dev.amber.proto.host.v1.RestoreSandboxRequest;
import dev.amber.proto.host.v1.RestoreSandboxResponse;
import dev.amber.proto.host.v1.ResumeSandboxRequest;
import dev.amber.proto.host.v1.StoreStateRequest;
import dev.amber.proto.host.v1.StoreStateResponse;
import dev.amber.proto.host.v1.ResumeSandboxResponse;
import dev.amber.proto.host.v1.SnapshotSandboxRequest;
import dev.amber.proto.host.v1.SnapshotSandboxResponse;
import dev.amber.proto.host.v1.DownloadRequest;
import dev.amber.proto.host.v1.DownloadResponse;
import dev.amber.proto.host.v1.ExecRequest;
import dev.amber.proto.host.v1.ExecResponse;
import dev.amber.proto.host.v1.FactsRequest;
import dev.amber.proto.host.v1.FileInfo;
import dev.amber.proto.host.v1.HostAgentGrpc;
import dev.amber.proto.host.v1.HostFacts;
import dev.amber.proto.host.v1.GuestProcess;
import dev.amber.proto.host.v1.ListFilesRequest;
import dev.amber.proto.host.v1.ListProcessesRequest;
import dev.amber.proto.host.v1.ListProcessesResponse;
import dev.amber.proto.host.v1.ProcessEvent;
import dev.amber.proto.host.v1.ProcessRequest;
import dev.amber.proto.host.v1.SignalProcessRequest;
import dev.amber.proto.host.v1.ListFilesResponse;
import dev.amber.proto.host.v1.ListSandboxesRequest;
import dev.amber.proto.host.v1.ListSandboxesResponse;
import dev.amber.proto.host.v1.MkdirRequest;
import dev.amber.proto.host.v1.MoveRequest;
import dev.amber.proto.host.v1.PortRequest;
import dev.amber.proto.host.v1.PortResponse;
import dev.amber.proto.host.v1.RemoveRequest;
import dev.amber.proto.host.v1.RemoveResponse;
import dev.amber.proto.host.v1.SandboxMetricsRequest;
import dev.amber.proto.host.v1.SandboxMetricsResponse;
import dev.amber.proto.host.v1.StatRequest;
import dev.amber.proto.host.v1.UploadRequest;
import dev.amber.proto.host.v1.UploadResponse;
import dev.amber.proto.link.LinkLimits;
import dev.amber.protocol.message.ExecExit;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The host's side of the link: each call of the control plane, answered by the sandbox runtime
 * and the guest agents. Handlers run on virtual threads, so they simply block.
 */
public final class HostAgentService extends HostAgentGrpc.HostAgentImplBase {

    private final SandboxRuntime runtime;
    private final Agents agents;

    public HostAgentService(SandboxRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.agents = new Agents(runtime);
    }

    @Override
    public void facts(FactsRequest request, StreamObserver<HostFacts> response) {
        unary(response, () -> ProtoConversions.facts(runtime));
    }

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> response) {
        unary(response, () -> {
            SandboxSpec spec = new SandboxSpec(request.getSandboxId(),
                    new MachineResources(request.getVcpus(), request.getMemoryMb(), request.getDiskSizeMb()),
                    request.hasNetwork() ? ProtoConversions.policy(request.getNetwork()) : NetworkPolicy.DEFAULT,
                    ProtoConversions.emptyToNull(request.getSnapshotId()), ProtoConversions.emptyToNull(request.getImageId()));
            if (runtime.find(spec.id()).isPresent()) {
                throw Status.ALREADY_EXISTS.withDescription("sandbox " + spec.id() + " already exists on this host")
                        .asException();
            }
            runtime.create(spec);
            return CreateSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void pauseSandbox(PauseSandboxRequest request, StreamObserver<PauseSandboxResponse> response) {
        unary(response, () -> {
            PauseResult paused = runtime.pause(request.getSandboxId());
            return PauseSandboxResponse.newBuilder().setDurationMs(paused.took().toMillis())
                    .setStateBytes(paused.stateBytes()).build();
        });
    }

    @Override
    public void resumeSandbox(ResumeSandboxRequest request, StreamObserver<ResumeSandboxResponse> response) {
        unary(response, () -> {
            long started = System.nanoTime();
            NetworkPolicy policy = request.hasNetwork() ? ProtoConversions.policy(request.getNetwork()) : NetworkPolicy.DEFAULT;
            if (request.getStoredStateId().isEmpty()) {
                runtime.resume(request.getSandboxId(), policy);
            } else {
                runtime.resume(request.getSandboxId(), policy, request.getStoredStateId());
            }
            return ResumeSandboxResponse.newBuilder().setDurationMs(millisSince(started)).build();
        });
    }

    @Override
    public void storeState(StoreStateRequest request, StreamObserver<StoreStateResponse> response) {
        unary(response, () -> switch (request.getStateCase()) {
            case SNAPSHOT_ID -> ProtoConversions.stored(request.getSnapshotId(),
                    runtime.storeSnapshot(request.getSnapshotId()));
            case SANDBOX_ID -> {
                DurableStates.StoredPause stored = runtime.storePaused(request.getSandboxId());
                yield ProtoConversions.stored(stored.storedId(), stored.report());
            }
            case STATE_NOT_SET -> throw new IllegalArgumentException("StoreState needs a snapshot_id or a sandbox_id");
        });
    }

    @Override
    public void snapshotSandbox(SnapshotSandboxRequest request, StreamObserver<SnapshotSandboxResponse> response) {
        unary(response, () -> {
            SnapshotResult snapshot = runtime.snapshot(request.getSandboxId(), request.getSnapshotId());
            return SnapshotSandboxResponse.newBuilder()
                    .setPauseWindowMs(snapshot.pauseWindow().toMillis())
                    .setDurationMs(snapshot.took().toMillis())
                    .setSizeBytes(snapshot.sizeBytes())
                    .setVcpus(snapshot.resources().vcpus())
                    .setMemoryMb(snapshot.resources().memoryMb())
                    .setDiskSizeMb(snapshot.resources().diskSizeMb())
                    .build();
        });
    }

    @Override
    public void restoreSandbox(RestoreSandboxRequest request, StreamObserver<RestoreSandboxResponse> response) {
        unary(response, () -> {
            long started = System.nanoTime();
            runtime.restore(request.getSandboxId(), request.getSnapshotId());
            return RestoreSandboxResponse.newBuilder().setDurationMs(millisSince(started)).build();
        });
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> response) {
        unary(response, () -> {
            runtime.deleteSnapshot(request.getSnapshotId());
            return DeleteSnapshotResponse.getDefaultInstance();
        });
    }

    @Override
    public void flattenSnapshot(FlattenSnapshotRequest request, StreamObserver<FlattenSnapshotResponse> response) {
        unary(response, () -> FlattenSnapshotResponse.newBuilder()
                .setSizeBytes(runtime.flattenSnapshot(request.getSnapshotId(), request.getImageId())).build());
    }

    @Override
    public void importImage(ImportImageRequest request, StreamObserver<ImportImageResponse> response) {
        unary(response, () -> ImportImageResponse.newBuilder().setSizeBytes(
                runtime.importImage(request.getUri(), request.getImageId(), request.getDiskSizeMb())).build());
    }

    @Override
    public void deleteImage(DeleteImageRequest request, StreamObserver<DeleteImageResponse> response) {
        unary(response, () -> {
            runtime.deleteImage(request.getImageId());
            return DeleteImageResponse.getDefaultInstance();
        });
    }

    @Override
    public void setNetworkPolicy(SetNetworkPolicyRequest request, StreamObserver<SetNetworkPolicyResponse> response) {
        unary(response, () -> {
            runtime.setNetworkPolicy(request.getSandboxId(), ProtoConversions.policy(request.getNetwork()));
            return SetNetworkPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void destroySandbox(DestroySandboxRequest request, StreamObserver<DestroySandboxResponse> response) {
        unary(response, () -> {
            try {
                runtime.destroy(request.getSandboxId());
            } catch (SandboxNotFoundException e) {
                // already gone: destroying is idempotent, so a retry after a lost reply succeeds
            }
            return DestroySandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> response) {
        unary(response, () -> ListSandboxesResponse.newBuilder()
                .addAllSandboxes(runtime.list().stream().map(ProtoConversions::status).toList())
                .build());
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> response) {
        unary(response, () -> {
            int limit = request.getMaxOutputBytes();
            if (limit < 0 || limit > LinkLimits.MAX_EXEC_OUTPUT_BYTES) {
                throw new IllegalArgumentException("max_output_bytes must be between 0 and "
                        + LinkLimits.MAX_EXEC_OUTPUT_BYTES + ", got " + limit);
            }
            if (request.getTimeoutMs() < 0) {
                throw new IllegalArgumentException("timeout_ms must not be negative (0: no timeout)");
            }
            ExecCommand command = new ExecCommand(request.getArgvList(), request.getEnvMap(),
                    ProtoConversions.emptyToNull(request.getCwd()), ProtoConversions.emptyToNull(request.getUser()),
                    request.getTimeoutMs() == 0 ? null : Duration.ofMillis(request.getTimeoutMs()));
            AgentClient agent = agents.of(request.getSandboxId());
            BoundedSink stdout = new BoundedSink(limit);
            BoundedSink stderr = new BoundedSink(limit);
            ExecExit exit = agent.exec(command, ProcessRelay.deadline(request.getDeadlineMs()),
                    request.getStdin().isEmpty() ? null : request.getStdin().newInput(), stdout, stderr);
            return ExecResponse.newBuilder()
                    .setExitCode(exit.exitCode())
                    .setStdout(ByteString.copyFrom(stdout.bytes()))
                    .setStderr(ByteString.copyFrom(stderr.bytes()))
                    .setDurationMs(exit.durationMillis())
                    .setTimedOut(exit.timedOut())
                    .setTruncated(stdout.truncated() || stderr.truncated())
                    .build();
        });
    }

    @Override
    public StreamObserver<ProcessRequest> attachProcess(StreamObserver<ProcessEvent> response) {
        return new ProcessRelay(agents, response);
    }

    @Override
    public void listProcesses(ListProcessesRequest request, StreamObserver<ListProcessesResponse> response) {
        unary(response, () -> ListProcessesResponse.newBuilder()
                .addAllProcesses(agents.of(request.getSandboxId()).processes().stream()
                        .map(ProtoConversions::process).toList())
                .build());
    }

    @Override
    public void signalProcess(SignalProcessRequest request, StreamObserver<GuestProcess> response) {
        unary(response, () -> ProtoConversions.process(
                agents.of(request.getSandboxId()).signal(request.getPid(), request.getSignal())));
    }

    @Override
    public StreamObserver<UploadRequest> upload(StreamObserver<UploadResponse> response) {
        return new UploadReceiver(agents, response);
    }

    @Override
    public void download(DownloadRequest request, StreamObserver<DownloadResponse> response) {
        new DownloadSender(response).start(agents, request);
    }

    @Override
    public StreamObserver<PortRequest> openPort(StreamObserver<PortResponse> response) {
        return new PortRelay(agents, response);
    }

    @Override
    public void listFiles(ListFilesRequest request, StreamObserver<ListFilesResponse> response) {
        unary(response, () -> ListFilesResponse.newBuilder()
                .addAllEntries(agents.of(request.getSandboxId()).list(request.getPath()).stream()
                        .map(ProtoConversions::file).toList())
                .build());
    }

    @Override
    public void stat(StatRequest request, StreamObserver<FileInfo> response) {
        unary(response, () -> ProtoConversions.file(agents.of(request.getSandboxId()).stat(request.getPath())));
    }

    @Override
    public void mkdir(MkdirRequest request, StreamObserver<FileInfo> response) {
        unary(response, () -> ProtoConversions.file(
                agents.of(request.getSandboxId()).mkdir(request.getPath(), request.getMode())));
    }

    @Override
    public void remove(RemoveRequest request, StreamObserver<RemoveResponse> response) {
        unary(response, () -> RemoveResponse.newBuilder()
                .setRemoved(agents.of(request.getSandboxId()).remove(request.getPath(), request.getRecursive()))
                .build());
    }

    @Override
    public void move(MoveRequest request, StreamObserver<FileInfo> response) {
        unary(response, () -> ProtoConversions.file(
                agents.of(request.getSandboxId()).move(request.getFrom(), request.getTo())));
    }

    @Override
    public void sandboxMetrics(SandboxMetricsRequest request, StreamObserver<SandboxMetricsResponse> response) {
        unary(response, () -> MetricsReplies.of(request, runtime.metrics(request.getSandboxId())));
    }

    /** One request, one reply. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException, StatusException;
    }

    private static <T> void unary(StreamObserver<T> response, Call<T> call) {
        T reply;
        try {
            reply = call.run();
        } catch (IOException | StatusException | RuntimeException e) {
            response.onError(HostStatuses.of(e));
            return;
        }
        response.onNext(reply);
        response.onCompleted();
    }


    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
