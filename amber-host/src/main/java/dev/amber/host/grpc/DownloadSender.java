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
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Streams one guest file to the client no faster than the client reads it: each chunk waits until
 * the call is ready, and while it waits the guest's own flow control holds the guest back. The
 * transfer runs on a virtual thread of its own, because the call's callbacks (onReady, onCancel)
 * run one at a time and would never reach a service method that blocked waiting for them.
 */
final class DownloadSender extends OutputStream {

    private final ServerCallStreamObserver<DownloadResponse> call;
    private final Lock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private long remaining;

    /** Must be constructed inside the service method: the handlers can only be set there. */
    DownloadSender(StreamObserver<DownloadResponse> response) {
        this.call = (ServerCallStreamObserver<DownloadResponse>) requireNonNull(response, "response");
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(this::wake);
    }

    void start(Agents agents, DownloadRequest request) {
        Thread.ofVirtual().name("download-" + request.getSandboxId()).start(() -> send(agents, request));
    }

    private void send(Agents agents, DownloadRequest request) {
        try {
            AgentClient agent = agents.of(request.getSandboxId());
            agent.download(request.getPath(), this::announce, this);
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

    /** The file's metadata goes first: the client turns its size into Content-Length. */
    private void announce(FileInfo info) {
        remaining = info.size();
        try {
            awaitReady();
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
            awaitReady();
            call.onNext(DownloadResponse.newBuilder().setChunk(ByteString.copyFrom(bytes, offset + sent, chunk)).build());
            sent += chunk;
        }
        remaining -= n;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + LinkLimits.STREAM_IDLE.toNanos();
        lock.lock();
        try {
            while (!call.isReady()) {
                if (call.isCancelled()) {
                    throw new IOException("the client cancelled the download");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("the client read nothing for " + LinkLimits.STREAM_IDLE.toSeconds() + " s");
                }
                ready.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the client to read");
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
