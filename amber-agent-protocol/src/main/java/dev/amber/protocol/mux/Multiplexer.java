package dev.amber.protocol.mux;

import dev.amber.protocol.frame.Frame;
import dev.amber.protocol.frame.FrameReader;
import dev.amber.protocol.frame.FrameType;
import dev.amber.protocol.frame.FrameWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Runs many independent {@link Stream}s over one byte stream (the virtio-serial port).
 * One reader thread decodes frames and hands them to their streams without ever blocking on a
 * stream; writers interleave whole frames. Each side sends a {@link Hello} first.
 */
public final class Multiplexer implements AutoCloseable {

    /** Which end of the link this is; it decides stream id parity so the two never collide. */
    public enum Side {
        HOST(1), GUEST(2);

        private final int firstStreamId;

        Side(int firstStreamId) {
            this.firstStreamId = firstStreamId;
        }
    }

    /** Hello key by which a side says it counts {@link Stream#FRAME_COST} per frame against the window. */
    public static final String FRAME_COST_KEY = "frameCost";

    /** Handles a stream the peer opened; runs on its own virtual thread. */
    @FunctionalInterface
    public interface Acceptor {
        void accept(Stream stream, byte[] request) throws Exception;
    }

    private final FrameWriter writer;
    private final FrameReader reader;
    private final Acceptor acceptor;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId;
    private final CompletableFuture<Hello> peerHello = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final Thread readerThread;
    private final AtomicInteger rejectedFrames = new AtomicInteger();
    private final Side side;
    private final Hello hello;
    private final OutputStream out;
    /** What a DATA frame costs on streams opened from now on: settled by the peer's (first) hello. */
    private volatile int frameCost;

    private Multiplexer(InputStream in, OutputStream out, Side side, Hello hello, Acceptor acceptor, String name) {
        this.side = requireNonNull(side, "side");
        this.hello = withFrameCost(requireNonNull(hello, "hello"));
        this.out = requireNonNull(out, "out");
        this.writer = new FrameWriter(out);
        this.reader = new FrameReader(requireNonNull(in, "in"));
        this.acceptor = acceptor;
        this.nextStreamId = new AtomicInteger(side.firstStreamId);
        this.readerThread = Thread.ofPlatform().daemon().name(name + "-reader").unstarted(this::readLoop);
    }

    /**
     * Starts reading. The host speaks first: it sends its {@link Hello} now, and again with
     * {@link #sayHello()} if the guest was not listening yet; the guest answers every hello it gets.
     * A second hello on a guest means the host reconnected (e.g. after a restore): the streams of the
     * previous connection are reset. {@code acceptor} may be null on a side that only opens
     * streams; streams the peer opens are then ignored (and counted as protocol errors).
     */
    public static Multiplexer start(InputStream in, OutputStream out, Side side, Hello hello, Acceptor acceptor, String name)
            throws IOException {
        Multiplexer mux = new Multiplexer(in, out, side, hello, acceptor, name);
        mux.readerThread.start();
        if (side == Side.HOST) {
            mux.sayHello();
        }
        return mux;
    }

    /** Sends this side's hello (again). */
    public void sayHello() throws IOException {
        write(new Frame(FrameType.HELLO, 0, 0, hello.encode()));
    }

    /** Waits for the peer's hello; fails if it does not come in time or speaks another version. */
    public Hello awaitPeerHello(Duration timeout) throws IOException, TimeoutException {
        try {
            Hello hello = peerHello.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (hello.protocolVersion() != Hello.PROTOCOL_VERSION) {
                throw new IOException("peer speaks protocol version " + hello.protocolVersion()
                        + ", this side speaks " + Hello.PROTOCOL_VERSION);
            }
            return hello;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for hello");
        } catch (ExecutionException e) {
            throw new IOException("channel closed before the peer said hello: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Opens a stream whose first frame carries {@code request}. */
    public Stream open(byte[] request) throws IOException {
        if (closed.isDone()) {
            throw new StreamResetException("channel closed: " + closed.getNow(""));
        }
        Stream stream = new Stream(this, nextStreamId.getAndAdd(2), frameCost);
        streams.put(stream.id(), stream);
        try {
            write(new Frame(FrameType.OPEN, 0, stream.id(), request));
        } catch (IOException e) {
            streams.remove(stream.id());
            throw e;
        }
        return stream;
    }

    /** Completes with the reason once the connection is gone. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** Frames refused so far (oversized, corrupt, flow-control violations) and garbage bytes skipped. */
    public long protocolErrors() {
        return rejectedFrames.get() + reader.skippedBytes();
    }

    /**
     * Drops the connection when one write stays blocked longer than {@code limit}: a peer that never
     * reads would otherwise hold every writer of this connection for ever. Closing the output stream
     * is what unblocks the stuck write, so the owner must not need it afterwards.
     */
    public void failWritesStalledFor(Duration limit) {
        long limitNanos = limit.toNanos();
        long period = Math.max(1, Math.min(limit.toMillis() / 4, 1000));
        Thread.ofVirtual().name("write-watchdog").start(() -> {
            try {
                while (!closed.isDone()) {
                    Thread.sleep(period);
                    if (writer.blockedNanos() > limitNanos) {
                        shutdown("the peer read nothing for " + limit.toSeconds() + " s");
                        closeQuietly(out);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Writes bytes that are not a frame; only for tests proving the peer survives garbage. */
    public void writeGarbage(byte[] bytes) throws IOException {
        writer.writeRaw(bytes);
    }

    @Override
    public void close() {
        shutdown("closed by this side");
        readerThread.interrupt();
    }

    void write(Frame frame) throws IOException {
        try {
            writer.write(frame);
        } catch (IOException e) {
            shutdown("write failed: " + e.getMessage());
            throw new StreamResetException("channel closed: " + e.getMessage());
        }
    }

    void writeQuietly(Frame frame) {
        try {
            write(frame);
        } catch (IOException ignored) {
            // the connection is gone; every stream has been reset already
        }
    }

    void forget(Stream stream) {
        streams.remove(stream.id(), stream);
    }

    private void readLoop() {
        try {
            while (!closed.isDone()) {
                switch (reader.next()) {
                    case FrameReader.Received(Frame frame) -> dispatch(frame);
                    case FrameReader.Rejected(int streamId, String reason) -> {
                        rejectedFrames.incrementAndGet();
                        Stream victim = streams.get(streamId);
                        if (victim != null) {
                            victim.reset(reason);
                        }
                    }
                }
            }
        } catch (IOException e) {
            shutdown(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            shutdown("reader failed: " + e);
        }
    }

    private void dispatch(Frame frame) throws IOException {
        if (frame.type() == FrameType.HELLO) {
            Hello peer = Hello.decode(frame.payload());
            boolean first = peerHello.complete(peer);
            if (side == Side.GUEST) {
                if (!first) {
                    resetAll("the host reconnected");
                }
                frameCost = frameCostWith(peer);
                sayHello();
            } else if (first) {
                // only the first: a guest repeating hello must not change how streams are counted
                frameCost = frameCostWith(peer);
            }
            return;
        }
        if (frame.type() == FrameType.OPEN) {
            accept(frame);
            return;
        }
        Stream stream = streams.get(frame.streamId());
        if (stream == null) {
            return; // a stream already finished or reset: late frames are harmless
        }
        switch (frame.type()) {
            case DATA -> stream.onData(frame);
            case END -> stream.onEnd();
            case CREDIT -> {
                if (frame.payload().length == 4) {
                    stream.onCredit(Integer.toUnsignedLong(ByteBuffer.wrap(frame.payload()).getInt()));
                } else {
                    stream.reset("malformed credit frame");
                }
            }
            case RESET -> stream.onReset(new String(frame.payload(), StandardCharsets.UTF_8));
            default -> stream.reset("unexpected " + frame.type() + " frame");
        }
    }

    private void accept(Frame frame) {
        if (acceptor == null) {
            // the host accepts no streams: answering a guest's flood of opens from this thread would
            // let a guest that does not read block the reader, so they are dropped unanswered
            rejectedFrames.incrementAndGet();
            return;
        }
        Stream stream = new Stream(this, frame.streamId(), frameCost);
        if (streams.putIfAbsent(stream.id(), stream) != null) {
            writeQuietly(new Frame(FrameType.RESET, 0, frame.streamId(),
                    "stream refused".getBytes(StandardCharsets.UTF_8)));
            return;
        }
        Thread.ofVirtual().name("stream-" + stream.id()).start(() -> {
            try {
                acceptor.accept(stream, frame.payload());
            } catch (Exception e) {
                stream.reset("handler failed: " + e);
            }
        });
    }

    private static Hello withFrameCost(Hello hello) {
        Map<String, String> info = new HashMap<>(hello.info());
        info.put(FRAME_COST_KEY, Integer.toString(Stream.FRAME_COST));
        return new Hello(hello.protocolVersion(), info);
    }

    /** Frames cost credit only when both sides count it; an agent from an older snapshot does not. */
    private static int frameCostWith(Hello peer) {
        return Integer.toString(Stream.FRAME_COST).equals(peer.info().get(FRAME_COST_KEY)) ? Stream.FRAME_COST : 0;
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing is how the stuck write is made to fail; its own error does not matter
        }
    }

    private void shutdown(String reason) {
        if (!closed.complete(reason)) {
            return;
        }
        peerHello.completeExceptionally(new IOException(reason));
        resetAll("channel closed: " + reason);
    }

    private void resetAll(String reason) {
        for (Stream stream : List.copyOf(streams.values())) {
            stream.onReset(reason);
        }
    }
}
