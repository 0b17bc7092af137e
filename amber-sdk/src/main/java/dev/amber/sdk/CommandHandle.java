package dev.amber.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.amber.api.sandbox.ProcessView;
import dev.amber.api.sandbox.StreamFrame;
import dev.amber.sdk.error.AmberConnectionException;
import dev.amber.sdk.error.AmberException;
import dev.amber.sdk.error.AmberTimeoutException;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A process in a sandbox, attached over a WebSocket: its output as {@link CommandEvent}s, either
 * handed to a callback as they arrive or taken with {@link #next} / {@link #events()}; input,
 * terminal size and signals the other way. Closing the handle detaches: a background process runs
 * on (attach again by {@link #pid()}), any other is killed.
 */
public final class CommandHandle implements AutoCloseable {

    private static final Object END = new Object();

    private final Transport transport;
    private final String sandboxId;
    private final Consumer<CommandEvent> onEvent;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<ProcessView> started = new CompletableFuture<>();
    private final CompletableFuture<CommandEvent.Exit> exit = new CompletableFuture<>();
    private volatile WebSocket socket;

    private CommandHandle(Transport transport, String sandboxId, Consumer<CommandEvent> onEvent) {
        this.transport = transport;
        this.sandboxId = sandboxId;
        this.onEvent = onEvent;
    }

    /** Opens the socket, sends {@code start} if given, and returns once the process is attached. */
    static CommandHandle open(Transport transport, String sandboxId, String path, Query query, Object start,
                              Consumer<CommandEvent> onEvent) {
        CommandHandle handle = new CommandHandle(transport, sandboxId, onEvent);
        handle.socket = transport.webSocket(path, query, handle.new Receiver());
        if (start != null) {
            handle.sendJson(start);
        }
        try {
            handle.started.get(transport.options().createTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            handle.close();
            throw (AmberException) e.getCause();
        } catch (TimeoutException e) {
            handle.close();
            throw new AmberTimeoutException("the process did not start within "
                    + transport.options().createTimeout().toSeconds() + "s", e);
        } catch (InterruptedException e) {
            handle.close();
            Thread.currentThread().interrupt();
            throw new AmberException("interrupted", 0, "interrupted while starting a process", Map.of(), e);
        }
        return handle;
    }

    /** The process as it was when attached. */
    public ProcessView process() {
        return started.join();
    }

    public long pid() {
        return process().pid();
    }

    /** Input for the process (on a terminal: keys, so "\u0003" is Ctrl-C). */
    public void write(byte[] data) {
        ByteBuffer bytes = ByteBuffer.wrap(data.clone());
        send(open -> open.sendBinary(bytes, true), "sending input");
    }

    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the process's stdin (on a terminal: types end-of-file). */
    public void closeStdin() {
        sendJson(StreamFrame.eof());
    }

    /** A new terminal size; the process gets SIGWINCH. */
    public void resize(int rows, int cols) {
        sendJson(StreamFrame.resize(rows, cols));
    }

    /** Sends a signal (TERM, INT, KILL, a number...) to the process's group. */
    public void signal(String signal) {
        new Commands(transport, sandboxId).signal(pid(), signal);
    }

    /** Waits for the process to end; fails if the stream broke first (the sandbox died, or went silent). */
    public CommandEvent.Exit waitForExit(Duration timeout) {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (AmberException) e.getCause();
        } catch (TimeoutException e) {
            throw new AmberTimeoutException("process " + pid() + " did not exit within " + timeout.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmberException("interrupted", 0, "interrupted waiting for process " + pid(), Map.of(), e);
        }
    }

    /**
     * The next event, waiting up to {@code timeout}; null once the exit has been taken, or when nothing
     * came in time. Only without a callback: with one, events go there.
     */
    public CommandEvent next(Duration timeout) {
        if (onEvent != null) {
            throw new IllegalStateException("this command's events go to its callback");
        }
        try {
            Object item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (item == END) {
                queue.add(END);
                return null;
            }
            if (item instanceof AmberException failure) {
                queue.add(item);
                throw failure;
            }
            return (CommandEvent) item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmberException("interrupted", 0, "interrupted waiting for output", Map.of(), e);
        }
    }

    /** Every event until the exit (which is the last), blocking for each. */
    public Iterable<CommandEvent> events() {
        return () -> new Iterator<>() {
            private CommandEvent upcoming;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (upcoming == null && !done) {
                    upcoming = CommandHandle.this.next(Duration.ofDays(365));
                    done = upcoming == null;
                }
                return upcoming != null;
            }

            @Override
            public CommandEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CommandEvent event = upcoming;
                upcoming = null;
                return event;
            }
        };
    }

    /** Detaches: a background process runs on, any other is killed. */
    @Override
    public void close() {
        WebSocket open = socket;
        if (open != null && !open.isOutputClosed()) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "detached");
        }
        if (open != null) {
            open.abort();
        }
        queue.add(END);
    }

    private void sendJson(Object message) {
        try {
            String text = transport.json().writeValueAsString(message);
            send(open -> open.sendText(text, true), "sending a message");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Sends one message and waits until it is out: one at a time, as the WebSocket refuses a send while
     * another is pending (keys and resizes come from different threads).
     */
    private synchronized void send(Function<WebSocket, CompletableFuture<WebSocket>> sending, String doing) {
        try {
            sending.apply(socket).get(transport.options().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AmberConnectionException(doing + " to the process failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmberException("interrupted", 0, "interrupted " + doing, Map.of(), e);
        }
    }

    private void deliver(CommandEvent event) {
        if (onEvent != null) {
            onEvent.accept(event);
        } else {
            queue.add(event);
        }
    }

    private void fail(AmberException failure) {
        started.completeExceptionally(failure);
        if (exit.completeExceptionally(failure)) {
            queue.add(failure);
        }
    }

    /** The socket's side: decodes messages into events. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                onFrame(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                byte[] message = binary.toByteArray();
                binary.reset();
                if (message.length > 0) {
                    byte[] output = Arrays.copyOfRange(message, 1, message.length);
                    deliver(message[0] == StreamFrame.STDERR ? new CommandEvent.Stderr(output) : new CommandEvent.Stdout(output));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(new AmberConnectionException("the process stream closed before the process exited (" + statusCode
                    + (reason.isEmpty() ? "" : ": " + reason) + ")", null));
            queue.add(END);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(new AmberConnectionException("the process stream broke: " + error, error));
            queue.add(END);
        }

        private void onFrame(String message) {
            StreamFrame frame;
            try {
                frame = transport.json().readValue(message, StreamFrame.class);
            } catch (JsonProcessingException e) {
                fail(new AmberConnectionException("the server sent a message that is not a stream frame: " + message, e));
                return;
            }
            switch (String.valueOf(frame.type())) {
                case "started" -> started.complete(frame.process());
                case "dropped" -> deliver(new CommandEvent.Dropped(frame.stream(),
                        frame.totalBytes() == null ? 0 : frame.totalBytes()));
                case "exit" -> {
                    CommandEvent.Exit ended = CommandEvent.Exit.of(frame);
                    deliver(ended);
                    exit.complete(ended);
                    queue.add(END);
                }
                case "error" -> fail(transport.errors().fromStream(frame.code(), frame.message()));
                default -> { } // a newer server's message this client does not know
            }
        }
    }
}
