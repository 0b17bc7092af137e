package dev.amber.host.grpc;

import dev.amber.proto.link.LinkLimits;
import io.grpc.stub.ServerCallStreamObserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Flow control for a stream of responses sent from a thread of its own: each message waits until
 * the call can take it, so a slow client holds the sender back instead of making the host buffer.
 * The call's onReady and onCancel handlers must call {@link #wake()}; they run one at a time on
 * gRPC's side and would never run if the service method itself blocked here.
 */
final class ReadyGate {

    private final ServerCallStreamObserver<?> call;
    private final String what;
    private final Lock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();

    /** {@code what} names the transfer in errors: "download", "connection". */
    ReadyGate(ServerCallStreamObserver<?> call, String what) {
        this.call = requireNonNull(call, "call");
        this.what = requireNonNull(what, "what");
    }

    /** Returns once the call is ready for another message; fails if the client cancelled or stalled. */
    void await() throws IOException {
        long deadline = System.nanoTime() + LinkLimits.STREAM_IDLE.toNanos();
        lock.lock();
        try {
            while (!call.isReady()) {
                if (call.isCancelled()) {
                    throw new IOException("the client cancelled the " + what);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("the client read nothing of the " + what + " for "
                            + LinkLimits.STREAM_IDLE.toSeconds() + " s");
                }
                ready.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the client to read the " + what);
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
