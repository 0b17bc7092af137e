package dev.amber.protocol.mux;

import dev.amber.protocol.frame.Frame;
import dev.amber.protocol.frame.FrameType;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One logical conversation on a {@link Multiplexer}: ordered, tagged chunks in each direction,
 * half-closable, with credit-based flow control so a slow reader of one stream never stalls the
 * others that share the connection.
 */
public final class Stream {

    /** Bytes a sender may have in flight before the receiver grants more. */
    public static final int WINDOW = 1024 * 1024;
    /**
     * Credit each DATA frame costs on top of its payload once both sides say so in their hello
     * ({@link Multiplexer#FRAME_COST_KEY}): without it a peer could queue millions of empty frames
     * inside the window, each costing the receiver a queue node and a message.
     */
    public static final int FRAME_COST = 64;
    /**
     * Frames the receiver holds unread before it resets the stream. A peer that counts
     * {@link #FRAME_COST} cannot reach it inside the window; one that does not (an agent from
     * before the cost, restored from an old snapshot) is held to it all the same.
     */
    public static final int MAX_QUEUED_FRAMES = WINDOW / FRAME_COST;

    private static final Object END = new Object();

    private record Reset(String reason) {}

    private final Multiplexer mux;
    private final int id;
    private final int frameCost;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock creditLock = new ReentrantLock();
    private final Condition creditChanged = creditLock.newCondition();
    private long sendCredit = WINDOW;
    private long receivedOutstanding;
    private int queuedFrames;
    private int consumedSinceGrant;
    private volatile String resetReason;
    private volatile Duration sendTimeout = Duration.ofDays(365);
    private boolean endSent;
    private boolean endReceived;

    /** {@code frameCost}: fixed for the stream's life, so a hello arriving later cannot skew its accounting. */
    Stream(Multiplexer mux, int id, int frameCost) {
        this.mux = mux;
        this.id = id;
        this.frameCost = frameCost;
    }

    public int id() {
        return id;
    }

    /** How long a send may wait for the peer to grant credit before the stream is reset. */
    public void setSendTimeout(Duration timeout) {
        this.sendTimeout = timeout;
    }

    /** Sends bytes on sub-channel {@code tag}, waiting for credit as needed. */
    public void send(int tag, byte[] data, int offset, int length) throws IOException {
        int position = offset;
        int end = offset + length;
        do {
            int chunk = Math.min(Frame.MAX_PAYLOAD, end - position);
            awaitCredit(chunk + frameCost);
            mux.write(new Frame(FrameType.DATA, tag, id, Arrays.copyOfRange(data, position, position + chunk)));
            position += chunk;
        } while (position < end);
    }

    public void send(int tag, byte[] data) throws IOException {
        send(tag, data, 0, data.length);
    }

    /** Tells the peer nothing more will be sent. Receiving goes on until the peer ends too. */
    public void end() throws IOException {
        throwIfReset();
        synchronized (this) {
            if (endSent) {
                return;
            }
            endSent = true;
        }
        mux.write(Frame.of(FrameType.END, id));
        forgetIfDone();
    }

    /** Aborts the stream in both directions; the peer sees {@code reason}. Idempotent. */
    public void reset(String reason) {
        if (markReset(reason)) {
            mux.writeQuietly(new Frame(FrameType.RESET, 0, id, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** The next chunk, or {@code null} once the peer has ended the stream. */
    public Message receive() throws IOException {
        try {
            return take(inbox.take());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        }
    }

    /** Like {@link #receive()}, but gives up after {@code timeout}. */
    public Message receive(Duration timeout) throws IOException, TimeoutException {
        try {
            Object item = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new TimeoutException("nothing received on stream " + id + " within " + timeout);
            }
            return take(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        }
    }

    /** Writes to sub-channel {@code tag}; closing it ends the stream. */
    public OutputStream outputStream(int tag) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    send(tag, b, off, len);
                }
            }

            @Override
            public void close() throws IOException {
                end();
            }
        };
    }

    /** Reads all data chunks until the peer ends the stream, whatever their tag. */
    public InputStream inputStream() {
        return new InputStream() {
            private ByteBuffer current = ByteBuffer.allocate(0);
            private boolean finished;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (!current.hasRemaining()) {
                    if (finished) {
                        return -1;
                    }
                    Message message = receive();
                    if (message == null) {
                        finished = true;
                    } else {
                        current = ByteBuffer.wrap(message.data());
                    }
                }
                int n = Math.min(len, current.remaining());
                current.get(b, off, n);
                return n;
            }
        };
    }

    // ---- called by the multiplexer's reader thread; must never block ----

    void onData(Frame frame) {
        synchronized (this) {
            receivedOutstanding += frame.payload().length + frameCost;
            queuedFrames++;
            if (receivedOutstanding > WINDOW) {
                reset("peer sent more than the flow-control window allows");
                return;
            }
            if (queuedFrames > MAX_QUEUED_FRAMES) {
                reset("peer sent more than " + MAX_QUEUED_FRAMES + " frames without them being read");
                return;
            }
        }
        inbox.add(new Message(frame.tag(), frame.payload()));
    }

    void onEnd() {
        synchronized (this) {
            if (endReceived) {
                return; // a repeated END would only grow the inbox
            }
            endReceived = true;
        }
        inbox.add(END);
        forgetIfDone();
    }

    void onCredit(long bytes) {
        creditLock.lock();
        try {
            sendCredit += bytes;
            creditChanged.signalAll();
        } finally {
            creditLock.unlock();
        }
    }

    void onReset(String reason) {
        markReset(reason);
    }

    // ---- internals ----

    private boolean markReset(String reason) {
        synchronized (this) {
            if (resetReason != null) {
                return false;
            }
            resetReason = reason;
        }
        inbox.add(new Reset(reason));
        creditLock.lock();
        try {
            creditChanged.signalAll();
        } finally {
            creditLock.unlock();
        }
        mux.forget(this);
        return true;
    }

    private Message take(Object item) throws IOException {
        if (item instanceof Reset(String reason)) {
            inbox.add(item); // later receives see the reset too
            throw new StreamResetException(reason);
        }
        if (item == END) {
            inbox.add(item);
            return null;
        }
        Message message = (Message) item;
        grantCredit(message.data().length + frameCost);
        return message;
    }

    private void grantCredit(int consumed) throws IOException {
        int grant;
        synchronized (this) {
            receivedOutstanding -= consumed;
            queuedFrames--;
            consumedSinceGrant += consumed;
            if (consumedSinceGrant < WINDOW / 4 || endReceived || resetReason != null) {
                return;
            }
            grant = consumedSinceGrant;
            consumedSinceGrant = 0;
        }
        mux.write(new Frame(FrameType.CREDIT, 0, id, ByteBuffer.allocate(4).putInt(grant).array()));
    }

    private void awaitCredit(int bytes) throws IOException {
        long left = sendTimeout.toNanos();
        creditLock.lock();
        try {
            while (sendCredit < bytes) {
                throwIfReset();
                if (left <= 0) {
                    reset("peer read nothing for " + sendTimeout);
                    throwIfReset();
                }
                left = creditChanged.awaitNanos(left);
            }
            throwIfReset();
            sendCredit -= bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for flow-control credit");
        } finally {
            creditLock.unlock();
        }
    }

    private void throwIfReset() throws StreamResetException {
        String reason = resetReason;
        if (reason != null) {
            throw new StreamResetException(reason);
        }
    }

    private void forgetIfDone() {
        synchronized (this) {
            if (!(endSent && endReceived)) {
                return;
            }
        }
        mux.forget(this);
    }
}
