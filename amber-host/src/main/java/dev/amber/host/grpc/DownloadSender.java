package dev.amber.host.grpc;

import com.google.protobuf.ByteString;
import dev.amber.host.agent.AgentClient;
import dev.amber.proto.host.v1.DownloadRequest;
import dev.amber.proto.host.v1.DownloadResponse;
import dev.amber.proto.link.LinkLimits;
import dev.amber.protocol.message.FileInfo;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Streams one guest file to the client no faster than the client reads it: each chunk waits until
 * the call is ready ({@link ReadyGate}), and while it waits the guest's own flow control holds the
 * guest back. The transfer runs on a virtual thread of its own.
 */
final class DownloadSender extends OutputStream {

    private final ServerCallStreamObserver<DownloadResponse> call;
    private final ReadyGate ready;
    private long remaining;

    /** Must be constructed inside the service method: the handlers can only be set there. */
    DownloadSender(StreamObserver<DownloadResponse> response) {
        this.call = (ServerCallStreamObserver<DownloadResponse>) requireNonNull(response, "response");
        this.ready = new ReadyGate(call, "download");
        call.setOnReadyHandler(ready::wake);
        call.setOnCancelHandler(ready::wake);
    }

    void start(Agents agents, DownloadRequest request) {
        Thread.ofVirtual().name("download-" + request.getSandboxId()).start(() -> send(agents, request));
    }

    private void send(Agents agents, DownloadRequest request) {
        try {
            AgentClient agent = agents.of(request.getSandboxId());
            agent.download(request.getPath(), request.getOffset(), request.getLength(),
                    info -> announce(info, request.getOffset(), request.getLength()), this);
            if (remaining > 0) {
                throw Status.ABORTED.withDescription(request.getPath() + " shrank while it was read (" + remaining
                        + " bytes short); download it again").asException();
            }
            call.onCompleted();
        } catch (UncheckedIOException e) {
            call.onError(HostStatuses.of(e.getCause()));
        } catch (Exception e) {
            call.onError(HostStatuses.of(e));
        }
    }

    /** The file's metadata goes first: the client turns its size (and the part asked for) into Content-Length. */
    private void announce(FileInfo info, long offset, long length) {
        long rest = Math.max(0, info.size() - offset);
        remaining = length > 0 ? Math.min(length, rest) : rest;
        try {
            ready.await();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        call.onNext(DownloadResponse.newBuilder().setInfo(ProtoConversions.file(info)).build());
    }

    /** Bytes past the size announced in the metadata (the file grew meanwhile) are dropped. */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int n = (int) Math.min(length, remaining);
        for (int sent = 0; sent < n; ) {
            int chunk = Math.min(n - sent, LinkLimits.CHUNK_BYTES);
            ready.await();
            call.onNext(DownloadResponse.newBuilder().setChunk(ByteString.copyFrom(bytes, offset + sent, chunk)).build());
            sent += chunk;
        }
        remaining -= n;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }
}
