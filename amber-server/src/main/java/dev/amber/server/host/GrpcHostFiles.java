package dev.amber.server.host;

import com.google.protobuf.ByteString;
import dev.amber.proto.host.v1.DownloadRequest;
import dev.amber.proto.host.v1.DownloadResponse;
import dev.amber.proto.host.v1.ListFilesRequest;
import dev.amber.proto.host.v1.MkdirRequest;
import dev.amber.proto.host.v1.MoveRequest;
import dev.amber.proto.host.v1.RemoveRequest;
import dev.amber.proto.host.v1.StatRequest;
import dev.amber.proto.host.v1.UploadHeader;
import dev.amber.proto.host.v1.UploadRequest;
import dev.amber.proto.host.v1.UploadResponse;
import dev.amber.proto.link.LinkLimits;
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

import static dev.amber.server.host.GrpcCalls.CALL_DEADLINE;
import static java.util.Objects.requireNonNull;

/** {@link HostFiles} over gRPC: transfers stream in chunks, and fail when they stall. */
final class GrpcHostFiles implements HostFiles {

    /** A whole transfer; a stall is caught much sooner by {@link #STALL}. */
    private static final Duration TRANSFER_DEADLINE = Duration.ofHours(1);
    /**
     * Longest a transfer may make no progress. The host reports a stalled guest itself after
     * {@link LinkLimits#STREAM_IDLE}; waiting a little longer lets its precise error arrive first.
     */
    private static final Duration STALL = LinkLimits.STREAM_IDLE.plusSeconds(10);

    private final GrpcCalls calls;

    GrpcHostFiles(GrpcCalls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    @Override
    public long upload(String sandboxId, String path, int mode, InputStream data) throws HostException {
        BlockingClientCall<UploadRequest, UploadResponse> call = calls.host().withDeadlineAfter(TRANSFER_DEADLINE).upload();
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
        BlockingClientCall<?, DownloadResponse> call = calls.host().withDeadlineAfter(TRANSFER_DEADLINE)
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
    public List<GuestFile> list(String sandboxId, String path) throws HostException {
        return calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                        .listFiles(ListFilesRequest.newBuilder().setSandboxId(sandboxId).setPath(path).build()))
                .getEntriesList().stream().map(ProtoConversions::file).toList();
    }

    @Override
    public GuestFile stat(String sandboxId, String path) throws HostException {
        return ProtoConversions.file(calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .stat(StatRequest.newBuilder().setSandboxId(sandboxId).setPath(path).build())));
    }

    @Override
    public GuestFile mkdir(String sandboxId, String path, int mode) throws HostException {
        return ProtoConversions.file(calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .mkdir(MkdirRequest.newBuilder().setSandboxId(sandboxId).setPath(path).setMode(mode).build())));
    }

    @Override
    public long remove(String sandboxId, String path, boolean recursive) throws HostException {
        return calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE).remove(RemoveRequest.newBuilder()
                .setSandboxId(sandboxId).setPath(path).setRecursive(recursive).build())).getRemoved();
    }

    @Override
    public GuestFile move(String sandboxId, String from, String to) throws HostException {
        return ProtoConversions.file(calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                .move(MoveRequest.newBuilder().setSandboxId(sandboxId).setFrom(from).setTo(to).build())));
    }

    private void write(BlockingClientCall<UploadRequest, ?> call, UploadRequest message) throws HostException {
        // false only when the host already answered, which the read after the loop reports
        waiting(() -> call.write(message, STALL.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The next message, or null once the host has closed the call successfully. */
    private <T> T read(BlockingClientCall<?, T> call) throws HostException {
        return waiting(() -> call.read(STALL.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** A step of a transfer that waits for the host at most {@link #STALL}. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws StatusException, TimeoutException, InterruptedException;
    }

    private <T> T waiting(Step<T> step) throws HostException {
        try {
            return step.run();
        } catch (StatusException e) {
            throw calls.failure(e);
        } catch (TimeoutException e) {
            throw new HostException(HostException.Kind.TIMEOUT, "the host made no progress for " + STALL.toSeconds()
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(HostException.Kind.UNAVAILABLE, "interrupted waiting for the host");
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
}
