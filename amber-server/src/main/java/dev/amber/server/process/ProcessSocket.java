package dev.amber.server.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.sandbox.StreamFrame;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostProcesses;
import dev.amber.server.host.ProcessStream;
import dev.amber.server.http.ErrorResponses;
import dev.amber.server.sandbox.CallsInFlight;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One process WebSocket: a {@link ProcessStream} on the sandbox's side, the client's socket on the
 * other. Output goes out as it comes, each message waiting until the client's connection took the
 * previous one (a slow client holds the stream back; the guest keeps what it cannot send yet).
 * Closing the socket detaches from the process.
 */
final class ProcessSocket {

    /** Normal closure, once the process has exited. */
    private static final int NORMAL = 1000;
    /** The request on the socket was wrong. */
    private static final int POLICY = 1008;
    /** The sandbox failed under the stream. */
    private static final int FAILED = 1011;
    /** How long a client may take to accept one message before the socket is dropped. */
    private static final long SEND_LIMIT_SECONDS = 60;
    /** How long input waits for the process side to open (a terminal's first start can take seconds). */
    private static final long OPEN_LIMIT_SECONDS = 120;

    /** Opens the process side: starts a process or attaches to one. */
    @FunctionalInterface
    interface Opener {
        ProcessStream open() throws HostException;
    }

    private final HostProcesses host;
    private final String sandboxId;
    private final CallsInFlight.Call activity;
    private final ObjectMapper json;
    /** Set before the handshake for a terminal or an attach; null for exec, whose first message says what to start. */
    private final Opener opener;
    private final CompletableFuture<ProcessStream> stream = new CompletableFuture<>();
    private final AtomicBoolean openRequested = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile WsContext client;

    ProcessSocket(HostProcesses host, String sandboxId, CallsInFlight.Call activity, ObjectMapper json, Opener opener) {
        this.host = host;
        this.sandboxId = sandboxId;
        this.activity = activity;
        this.json = json;
        this.opener = opener;
    }

    HostProcesses host() {
        return host;
    }

    String sandboxId() {
        return sandboxId;
    }

    /** Whether the socket still waits for its first message, the process to start. */
    boolean awaitsStart() {
        return opener == null && !openRequested.get();
    }

    /** The client's socket is open: a terminal or an attach opens now. */
    void connected(WsContext ctx) {
        client = ctx;
        if (opener != null) {
            open(opener);
        }
    }

    /** Opens the process side off the socket's thread, then relays it; a failure is reported and closes the socket. */
    void open(Opener how) {
        if (!openRequested.compareAndSet(false, true)) {
            throw ApiException.badRequest("the process is already started");
        }
        Thread.ofVirtual().name("process-socket-" + sandboxId).start(() -> {
            ProcessStream opened;
            try {
                opened = how.open();
            } catch (ApiException | HostException e) {
                stream.completeExceptionally(e);
                fail(e);
                return;
            }
            stream.complete(opened);
            if (closed.get()) {
                opened.close();
                return;
            }
            relay(opened);
        });
    }

    /** A control message from the client: stdin, eof, resize, signal. Ignored once the socket failed. */
    void control(StreamFrame frame) throws HostException {
        ProcessStream stream = opened();
        if (stream == null) {
            return;
        }
        switch (frame.type() == null ? "" : frame.type()) {
            case "stdin" -> stream.write(require(frame.data(), "stdin needs data").getBytes(StandardCharsets.UTF_8));
            case "eof" -> stream.closeStdin();
            case "resize" -> {
                int rows = require(frame.rows(), "resize needs rows");
                int cols = require(frame.cols(), "resize needs cols");
                if (rows < 1 || rows > 1000 || cols < 1 || cols > 1000) {
                    throw ApiException.badRequest("rows and cols must be between 1 and 1000");
                }
                stream.resize(rows, cols);
            }
            case "signal" -> host.signal(sandboxId, stream.info().pid(), Signals.parse(frame.data()));
            default -> throw ApiException.badRequest("unknown message type \"" + frame.type()
                    + "\": send stdin, eof, resize or signal");
        }
    }

    void stdin(byte[] bytes) throws HostException {
        ProcessStream stream = opened();
        if (stream != null) {
            stream.write(bytes);
        }
    }

    /** The process side once it is open (waiting for it), or null if it failed to open or the socket closed. */
    private ProcessStream opened() {
        if (!openRequested.get()) {
            throw ApiException.badRequest("send the process to start (a JSON exec request) before anything else");
        }
        try {
            return closed.get() ? null : stream.get(OPEN_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Reports a failure to the client and closes the socket. */
    void fail(Exception e) {
        StreamFrame error = switch (e) {
            case ApiException api -> StreamFrame.error(api.code().wireName(), api.getMessage());
            case HostException hostFailure -> StreamFrame.error(ErrorResponses.code(hostFailure).wireName(),
                    hostFailure.getMessage());
            default -> StreamFrame.error(ErrorCode.INTERNAL.wireName(), "the stream failed: " + e.getMessage());
        };
        WsContext ctx = client;
        if (ctx != null) {
            try {
                sendJson(ctx, error);
            } catch (IOException ignored) {
                // the client is gone; closing below is all that is left
            }
            ctx.closeSession(e instanceof ApiException ? POLICY : FAILED, reason(error.message()));
        }
        close();
    }

    /** The client closed the socket, or it failed: detach. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (stream.isDone() && !stream.isCompletedExceptionally()) {
            stream.join().close();
        }
        activity.close();
    }

    /** Runs on the thread that opened the stream: everything from the process to the client. */
    private void relay(ProcessStream stream) {
        WsContext ctx = client;
        try {
            sendJson(ctx, StreamFrame.started(ProcessViews.of(stream.info())));
            ProcessStream.Event event;
            while ((event = stream.next()) != null) {
                switch (event) {
                    case ProcessStream.Event.Output(String name, byte[] data) -> sendOutput(ctx, name, data);
                    case ProcessStream.Event.Dropped(String name, long total) -> sendJson(ctx, StreamFrame.dropped(name, total));
                    case ProcessStream.Event.Exited(ProcessStream.Exit exit) -> {
                        sendJson(ctx, StreamFrame.exit(exit.exitCode(), exit.signal() == 0 ? null : exit.signal(),
                                exit.timedOut(), exit.durationMillis()));
                        ctx.closeSession(NORMAL, "the process exited");
                        close();
                        return;
                    }
                }
            }
            fail(new HostException(HostException.Kind.UNAVAILABLE, "the stream ended without the process's exit"));
        } catch (HostException e) {
            if (!closed.get()) {
                fail(e);
            }
        } catch (IOException e) {
            close(); // the client went away
        }
    }

    /** Output as a binary message: the stream's byte (1 stdout, 2 stderr), then the bytes. */
    private static void sendOutput(WsContext ctx, String stream, byte[] data) throws IOException {
        ByteBuffer message = ByteBuffer.allocate(data.length + 1);
        message.put("stderr".equals(stream) ? StreamFrame.STDERR : StreamFrame.STDOUT).put(data).flip();
        Callback.Completable sent = new Callback.Completable();
        ctx.session.sendBinary(message, sent);
        await(sent);
    }

    private void sendJson(WsContext ctx, StreamFrame frame) throws IOException {
        Callback.Completable sent = new Callback.Completable();
        ctx.session.sendText(json.writeValueAsString(frame), sent);
        await(sent);
    }

    /** Waits until the client's connection has taken the message. */
    private static void await(Callback.Completable sent) throws IOException {
        try {
            sent.get(SEND_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("sending to the client failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the client took nothing for " + SEND_LIMIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted sending to the client");
        }
    }

    private static <T> T require(T value, String message) {
        if (value == null) {
            throw ApiException.badRequest(message);
        }
        return value;
    }

    /** A close reason fits in 123 bytes. */
    private static String reason(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 120 ? message : new String(bytes, 0, 120, StandardCharsets.UTF_8);
    }
}
