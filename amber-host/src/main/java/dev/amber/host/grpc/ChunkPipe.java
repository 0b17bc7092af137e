package dev.amber.host.grpc;

import com.google.protobuf.ByteString;
import dev.amber.proto.link.ChunkInputStream;
import io.grpc.Status;
import io.grpc.StatusException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * What a client streams (an upload, a connection's bytes) as an {@link InputStream}, fed chunk by chunk from gRPC callbacks. The queue
 * has no capacity of its own: it stays small because the feeder asks the client for one more chunk
 * only when the reader has taken one ({@code onTaken}), so callbacks never block.
 */
final class ChunkPipe extends ChunkInputStream {

    private sealed interface Item {}

    private record Chunk(ByteString data) implements Item {}

    private record End() implements Item {}

    private record Failure(StatusException status) implements Item {}

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Runnable onTaken;
    private final Duration idleLimit;
    private volatile StatusException failure;

    /** {@code idleLimit}: longest the reader waits for the client's next chunk before failing. */
    ChunkPipe(Runnable onTaken, Duration idleLimit) {
        this.onTaken = requireNonNull(onTaken, "onTaken");
        this.idleLimit = requireNonNull(idleLimit, "idleLimit");
    }

    void offer(ByteString chunk) {
        items.add(new Chunk(chunk));
    }

    /** The client sent everything. */
    void finish() {
        items.add(new End());
    }

    /** The upload must not complete: the reader fails once it reaches this point. */
    void fail(StatusException status) {
        failure = status;
        items.add(new Failure(status));
    }

    /** Why the upload was abandoned, if it was. */
    Optional<StatusException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    protected ByteString nextChunk() throws IOException {
        return switch (next()) {
            case Chunk chunk -> {
                onTaken.run();
                yield chunk.data();
            }
            case End end -> null;
            case Failure abandoned -> throw new IOException("upload abandoned: "
                    + abandoned.status().getStatus().getDescription(), abandoned.status());
        };
    }

    private Item next() throws IOException {
        try {
            Item item = items.poll(idleLimit.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                StatusException stalled = Status.DEADLINE_EXCEEDED
                        .withDescription("the client sent nothing for " + idleLimit.toSeconds() + " s")
                        .asException();
                failure = stalled;
                throw new IOException(stalled.getStatus().getDescription(), stalled);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for upload data");
        }
    }
}
