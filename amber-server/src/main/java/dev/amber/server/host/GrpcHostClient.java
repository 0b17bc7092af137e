package dev.amber.server.host;

import com.google.protobuf.ByteString;
import dev.amber.api.metrics.MetricPoint;
import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.proto.host.v1.CreateSandboxRequest;
import dev.amber.proto.host.v1.DeleteImageRequest;
import dev.amber.proto.host.v1.DeleteSnapshotRequest;
import dev.amber.proto.host.v1.FlattenSnapshotRequest;
import dev.amber.proto.host.v1.ImportImageRequest;
import dev.amber.proto.host.v1.PauseSandboxRequest;
import dev.amber.proto.host.v1.PauseSandboxResponse;
import dev.amber.proto.host.v1.RestoreSandboxRequest;
import dev.amber.proto.host.v1.ResumeSandboxRequest;
import dev.amber.proto.host.v1.SnapshotSandboxRequest;
import dev.amber.proto.host.v1.SnapshotSandboxResponse;
import dev.amber.proto.host.v1.SetNetworkPolicyRequest;
import dev.amber.proto.host.v1.DestroySandboxRequest;
import dev.amber.proto.host.v1.DownloadRequest;
import dev.amber.proto.host.v1.DownloadResponse;
import dev.amber.proto.host.v1.ExecRequest;
import dev.amber.proto.host.v1.ListProcessesRequest;
import dev.amber.proto.host.v1.ProcessAttach;
import dev.amber.proto.host.v1.ProcessRequest;
import dev.amber.proto.host.v1.ProcessStart;
import dev.amber.proto.host.v1.SignalProcessRequest;
import dev.amber.proto.host.v1.ExecResponse;
import dev.amber.proto.host.v1.FactsRequest;
import dev.amber.proto.host.v1.HostAgentGrpc;
import dev.amber.proto.host.v1.ListFilesRequest;
import dev.amber.proto.host.v1.ListSandboxesRequest;
import dev.amber.proto.host.v1.MkdirRequest;
import dev.amber.proto.host.v1.MoveRequest;
import dev.amber.proto.host.v1.RemoveRequest;
import dev.amber.proto.host.v1.SandboxMetricsRequest;
import dev.amber.proto.host.v1.StatRequest;
import dev.amber.proto.host.v1.UploadHeader;
import dev.amber.proto.host.v1.UploadRequest;
import dev.amber.proto.host.v1.UploadResponse;
import dev.amber.proto.link.LinkChannel;
import dev.amber.proto.link.LinkLimits;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A host reached over gRPC. Every call has a deadline. Statuses become {@link HostException}
 * kinds in {@link #failure}: the host uses FAILED_PRECONDITION only for "sandbox not running" and
 * ALREADY_EXISTS for every file conflict, so the code alone tells the two apart (see
 * host_agent.proto). A refused token is UNAVAILABLE with the {@link StatusException} (code
 * UNAUTHENTICATED) as its cause; a damaged snapshot (DATA_LOSS) is SNAPSHOT_DAMAGED. Messages name
 * no host address: they reach API users, and the callers that log them know which host they called.
 */
public final class GrpcHostClient implements HostClient {

    private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CREATE_DEADLINE = Duration.ofSeconds(120);
    /** Pause, resume, snapshot, restore: they write or read a whole machine's memory. */
    private static final Duration STATE_DEADLINE = Duration.ofMinutes(5);
    /** A flatten writes a whole root disk (gigabytes on a big template). */
    private static final Duration FLATTEN_DEADLINE = Duration.ofMinutes(20);
    /** Past an exec's own timeout, for the guest to kill the process and report. */
    private static final Duration EXEC_GRACE = Duration.ofSeconds(30);
    /** An exec without a timeout may run as long as the API lets any exec run. */
    private static final Duration UNTIMED_EXEC = Duration.ofHours(24);
    /** A whole transfer; a stall is caught much sooner by {@link #STALL}. */
    private static final Duration TRANSFER_DEADLINE = Duration.ofHours(1);
    /**
     * Longest a transfer may make no progress. The host reports a stalled guest itself after
     * {@link LinkLimits#STREAM_IDLE}; waiting a little longer lets its precise error arrive first.
     */
    private static final Duration STALL = LinkLimits.STREAM_IDLE.plusSeconds(10);
    /** The longest a connection into a sandbox (a WebSocket, say) may stay open. */
    private static final Duration CONNECTION_DEADLINE = Duration.ofHours(24);
    /** Room in an exec reply beyond its two outputs. */
    private static final int EXEC_REPLY_OVERHEAD = 64 * 1024;

    private final LinkChannel channel;
    private final HostAgentGrpc.HostAgentBlockingV2Stub host;

    private GrpcHostClient(LinkChannel channel) {
        this.channel = channel;
        this.host = HostAgentGrpc.newBlockingV2Stub(channel.channel());
    }

    /** {@code address}: host:port of the host's agent server; {@code token}: the one it was started with. */
    public static GrpcHostClient connect(String address, String token) {
        return new GrpcHostClient(LinkChannel.open(address, token));
    }

    @Override
    public HostFacts facts() throws HostException {
        return ProtoConversions.facts(call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .facts(FactsRequest.getDefaultInstance())));
    }

    @Override
    public void createSandbox(String sandboxId, int vcpus, int memoryMb, long diskSizeMb, NetworkSettings network,
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
        call(() -> host.withDeadlineAfter(CREATE_DEADLINE).createSandbox(request.build()));
    }

    @Override
    public PauseOutcome pause(String sandboxId) throws HostException {
        PauseSandboxResponse reply = call(() -> host.withDeadlineAfter(STATE_DEADLINE)
                .pauseSandbox(PauseSandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
        return new PauseOutcome(reply.getDurationMs(), reply.getStateBytes());
    }

    @Override
    public void resume(String sandboxId, NetworkSettings network) throws HostException {
        call(() -> host.withDeadlineAfter(STATE_DEADLINE).resumeSandbox(ResumeSandboxRequest.newBuilder()
                .setSandboxId(sandboxId).setNetwork(ProtoConversions.policy(network)).build()));
    }

    @Override
    public SnapshotOutcome snapshot(String sandboxId, String snapshotId) throws HostException {
        SnapshotSandboxResponse reply = call(() -> host.withDeadlineAfter(STATE_DEADLINE).snapshotSandbox(
                SnapshotSandboxRequest.newBuilder().setSandboxId(sandboxId).setSnapshotId(snapshotId).build()));
        return new SnapshotOutcome(reply.getPauseWindowMs(), reply.getDurationMs(), reply.getSizeBytes(),
                reply.getVcpus(), reply.getMemoryMb(), reply.getDiskSizeMb());
    }

    @Override
    public void restore(String sandboxId, String snapshotId) throws HostException {
        call(() -> host.withDeadlineAfter(STATE_DEADLINE).restoreSandbox(RestoreSandboxRequest.newBuilder()
                .setSandboxId(sandboxId).setSnapshotId(snapshotId).build()));
    }

    @Override
    public void deleteSnapshot(String snapshotId) throws HostException {
        call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshotId).build()));
    }

    @Override
    public long flattenSnapshot(String snapshotId, String imageId) throws HostException {
        return call(() -> host.withDeadlineAfter(FLATTEN_DEADLINE).flattenSnapshot(FlattenSnapshotRequest.newBuilder()
                .setSnapshotId(snapshotId).setImageId(imageId).build())).getSizeBytes();
    }

    @Override
    public long importImage(String uri, String imageId, long diskSizeMb) throws HostException {
        return call(() -> host.withDeadlineAfter(FLATTEN_DEADLINE).importImage(ImportImageRequest.newBuilder()
                .setUri(uri).setImageId(imageId).setDiskSizeMb(diskSizeMb).build())).getSizeBytes();
    }

    @Override
    public void deleteImage(String imageId) throws HostException {
        call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .deleteImage(DeleteImageRequest.newBuilder().setImageId(imageId).build()));
    }

    @Override
    public void setNetworkPolicy(String sandboxId, NetworkSettings network) throws HostException {
        call(() -> host.withDeadlineAfter(CALL_DEADLINE).setNetworkPolicy(SetNetworkPolicyRequest.newBuilder()
                .setSandboxId(sandboxId).setNetwork(ProtoConversions.policy(network)).build()));
    }

    @Override
    public void destroySandbox(String sandboxId) throws HostException {
        call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .destroySandbox(DestroySandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
    }

    @Override
    public List<HostSandbox> listSandboxes() throws HostException {
        return call(() -> host.withDeadlineAfter(CALL_DEADLINE).listSandboxes(ListSandboxesRequest.getDefaultInstance()))
                .getSandboxesList().stream().map(ProtoConversions::sandbox).toList();
    }

    @Override
    public ExecOutcome exec(String sandboxId, ExecCall call, int maxOutputBytes) throws HostException {
        if (maxOutputBytes < 0 || maxOutputBytes > LinkLimits.MAX_EXEC_OUTPUT_BYTES) {
            throw new IllegalArgumentException("maxOutputBytes must be between 0 and " + LinkLimits.MAX_EXEC_OUTPUT_BYTES);
        }
        byte[] stdin = call.stdin() == null ? new byte[0] : call.stdin();
        if (stdin.length > LinkLimits.MAX_STDIN_BYTES) {
            throw new HostException(HostException.Kind.INVALID, "stdin may be at most " + LinkLimits.MAX_STDIN_BYTES
                    + " bytes, got " + stdin.length + "; upload large input as a file instead");
        }
        ExecRequest request = ExecRequest.newBuilder()
                .setSandboxId(sandboxId)
                .addAllArgv(call.argv())
                .putAllEnv(call.env())
                .setCwd(call.cwd() == null ? "" : call.cwd())
                .setUser(call.user() == null ? "" : call.user())
                .setStdin(ByteString.copyFrom(stdin))
                .setTimeoutMs(millis(call.timeout()))
                .setMaxOutputBytes(maxOutputBytes)
                .setDeadlineMs(millis(call.deadline()))
                .build();
        Duration deadline = (call.timeout() == null ? UNTIMED_EXEC : call.timeout()).plus(EXEC_GRACE);
        ExecResponse reply = call(() -> host.withDeadlineAfter(deadline)
                .withMaxInboundMessageSize(2 * maxOutputBytes + EXEC_REPLY_OVERHEAD)
                .exec(request));
        return new ExecOutcome(reply.getExitCode(), reply.getStdout().toByteArray(), reply.getStderr().toByteArray(),
                reply.getDurationMs(), reply.getTimedOut(), reply.getTruncated());
    }

    @Override
    public long upload(String sandboxId, String path, int mode, InputStream data) throws HostException {
        BlockingClientCall<UploadRequest, UploadResponse> call = host.withDeadlineAfter(TRANSFER_DEADLINE).upload();
        boolean finished = false;
        try {
            write(call, UploadRequest.newBuilder()
                    .setHeader(UploadHeader.newBuilder().setSandboxId(sandboxId).setPath(path).setMode(mode)).build());
            byte[] buffer = new byte[LinkLimits.CHUNK_BYTES];
            int n;
            while ((n = fill(buffer, data)) > 0) {
                write(call, UploadRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
            }
            call.halfClose();
            UploadResponse reply = read(call);
            if (reply == null) {
                throw new HostException(HostException.Kind.UNAVAILABLE, "the host ended the upload of " + path
                        + " without saying how much it wrote");
            }
            finished = true;
            return reply.getBytesWritten();
        } finally {
            if (!finished) {
                call.cancel("upload abandoned", null);
            }
        }
    }

    @Override
    public void download(String sandboxId, String path, long offset, long length, Consumer<GuestFile> onStart,
                         OutputStream out) throws HostException {
        BlockingClientCall<?, DownloadResponse> call = host.withDeadlineAfter(TRANSFER_DEADLINE)
                .download(DownloadRequest.newBuilder().setSandboxId(sandboxId).setPath(path).setOffset(offset)
                        .setLength(length).build());
        boolean finished = false;
        try {
            DownloadResponse first = read(call);
            if (first == null || !first.hasInfo()) {
                throw new HostException(HostException.Kind.UNAVAILABLE, "the host sent no metadata for " + path);
            }
            onStart.accept(ProtoConversions.file(first.getInfo()));
            DownloadResponse next;
            while ((next = read(call)) != null) {
                try {
                    next.getChunk().writeTo(out);
                } catch (IOException e) {
                    throw new HostException(HostException.Kind.UNAVAILABLE, "could not pass on the download of " + path
                            + " (the receiver went away?): " + e.getMessage(), e);
                }
            }
            finished = true;
        } finally {
            if (!finished) {
                call.cancel("download abandoned", null);
            }
        }
    }

    @Override
    public List<GuestFile> listFiles(String sandboxId, String path) throws HostException {
        return call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .listFiles(ListFilesRequest.newBuilder().setSandboxId(sandboxId).setPath(path).build()))
                .getEntriesList().stream().map(ProtoConversions::file).toList();
    }

    @Override
    public GuestFile stat(String sandboxId, String path) throws HostException {
        return ProtoConversions.file(call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .stat(StatRequest.newBuilder().setSandboxId(sandboxId).setPath(path).build())));
    }

    @Override
    public GuestFile mkdir(String sandboxId, String path, int mode) throws HostException {
        return ProtoConversions.file(call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .mkdir(MkdirRequest.newBuilder().setSandboxId(sandboxId).setPath(path).setMode(mode).build())));
    }

    @Override
    public long remove(String sandboxId, String path, boolean recursive) throws HostException {
        return call(() -> host.withDeadlineAfter(CALL_DEADLINE).remove(RemoveRequest.newBuilder()
                .setSandboxId(sandboxId).setPath(path).setRecursive(recursive).build())).getRemoved();
    }

    @Override
    public GuestFile move(String sandboxId, String from, String to) throws HostException {
        return ProtoConversions.file(call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .move(MoveRequest.newBuilder().setSandboxId(sandboxId).setFrom(from).setTo(to).build())));
    }

    @Override
    public PortConnection openPort(String sandboxId, int port) throws HostException {
        return new GrpcPortConnection(host.withDeadlineAfter(CONNECTION_DEADLINE).openPort(), this::failure)
                .open(sandboxId, port);
    }

    @Override
    public ProcessStream startProcess(String sandboxId, ProcessCall call) throws HostException {
        ExecCall exec = call.exec();
        ProcessStart.Builder start = ProcessStart.newBuilder()
                .setSandboxId(sandboxId)
                .addAllArgv(exec.argv())
                .putAllEnv(exec.env())
                .setCwd(exec.cwd() == null ? "" : exec.cwd())
                .setUser(exec.user() == null ? "" : exec.user())
                .setTimeoutMs(millis(exec.timeout()))
                .setTag(call.tag() == null ? "" : call.tag())
                .setBackground(call.background())
                .setDeadlineMs(millis(exec.deadline()));
        if (call.terminal() != null) {
            start.setTerminal(dev.amber.proto.host.v1.TerminalSize.newBuilder().setRows(call.terminal().rows()).setCols(call.terminal().cols()));
        }
        return GrpcProcessStream.open(host.withDeadlineAfter(CONNECTION_DEADLINE).attachProcess(),
                ProcessRequest.newBuilder().setStart(start).build(), this::failure);
    }

    @Override
    public ProcessStream attachProcess(String sandboxId, long pid, Duration deadline) throws HostException {
        return GrpcProcessStream.open(host.withDeadlineAfter(CONNECTION_DEADLINE).attachProcess(),
                ProcessRequest.newBuilder().setAttach(ProcessAttach.newBuilder().setSandboxId(sandboxId).setPid(pid)
                        .setDeadlineMs(millis(deadline))).build(), this::failure);
    }

    @Override
    public List<ProcessStream.GuestProcess> processes(String sandboxId) throws HostException {
        return call(() -> host.withDeadlineAfter(CALL_DEADLINE)
                .listProcesses(ListProcessesRequest.newBuilder().setSandboxId(sandboxId).build()))
                .getProcessesList().stream().map(ProtoConversions::process).toList();
    }

    @Override
    public ProcessStream.GuestProcess signalProcess(String sandboxId, long pid, int signal) throws HostException {
        return ProtoConversions.process(call(() -> host.withDeadlineAfter(CALL_DEADLINE).signalProcess(
                SignalProcessRequest.newBuilder().setSandboxId(sandboxId).setPid(pid).setSignal(signal).build())));
    }

    private static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }

    @Override
    public List<SandboxMetrics> metrics(String sandboxId, String range) throws HostException {
        SandboxMetricsRequest.Builder request = SandboxMetricsRequest.newBuilder().setSandboxId(sandboxId);
        if (range != null) {
            request.setRange(range);
        }
        return call(() -> host.withDeadlineAfter(CALL_DEADLINE).sandboxMetrics(request.build())).getSeriesList().stream()
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

    // ---- plumbing ----

    @FunctionalInterface
    private interface Rpc<T> {
        T run() throws StatusException;
    }

    private <T> T call(Rpc<T> rpc) throws HostException {
        try {
            return rpc.run();
        } catch (StatusException e) {
            throw failure(e);
        }
    }

    private void write(BlockingClientCall<UploadRequest, ?> call, UploadRequest message) throws HostException {
        try {
            // false only when the host already answered, which the read after the loop reports
            call.write(message, STALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (StatusException e) {
            throw failure(e);
        } catch (TimeoutException e) {
            throw stalled(e);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** The next message, or null once the host has closed the call successfully. */
    private <T> T read(BlockingClientCall<?, T> call) throws HostException {
        try {
            return call.read(STALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (StatusException e) {
            throw failure(e);
        } catch (TimeoutException e) {
            throw stalled(e);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** Fills {@code buffer} as far as the source allows, so chunks are full-sized. */
    private static int fill(byte[] buffer, InputStream data) throws HostException {
        try {
            return data.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new HostException(HostException.Kind.INVALID, "could not read the data to upload: " + e.getMessage(), e);
        }
    }

    private HostException failure(StatusException e) {
        Status status = e.getStatus();
        String said = status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            return new HostException(HostException.Kind.UNAVAILABLE, "the host refused this server's token (" + said
                    + "); give the server the token the host was started with", e);
        }
        if (status.getCode() == Status.Code.DATA_LOSS) {
            return new HostException(HostException.Kind.SNAPSHOT_DAMAGED, "the snapshot is damaged and cannot be used ("
                    + said + "); nothing was started from it", e);
        }
        HostException.Kind kind = switch (status.getCode()) {
            case NOT_FOUND -> HostException.Kind.NOT_FOUND;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HostException.Kind.INVALID;
            case ALREADY_EXISTS -> HostException.Kind.CONFLICT;
            case FAILED_PRECONDITION -> HostException.Kind.NOT_RUNNING;
            case RESOURCE_EXHAUSTED -> HostException.Kind.NO_SPACE;
            case DEADLINE_EXCEEDED -> HostException.Kind.TIMEOUT;
            default -> HostException.Kind.UNAVAILABLE;
        };
        return new HostException(kind, said, e);
    }

    private HostException stalled(TimeoutException e) {
        return new HostException(HostException.Kind.TIMEOUT, "the host made no progress for " + STALL.toSeconds() + " s", e);
    }

    private HostException interrupted() {
        Thread.currentThread().interrupt();
        return new HostException(HostException.Kind.UNAVAILABLE, "interrupted waiting for the host");
    }
}
