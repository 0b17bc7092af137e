package dev.amber.host.agent;

import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.OutputDropped;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.ProtocolException;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.message.WindowSize;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The host attached to a process the guest agent keeps track of: its retained output, then its live
 * output, then how it ended, as {@link Event}s; input and terminal sizes the other way. The agent
 * beats a heartbeat while the process is quiet, so silence longer than the deadline means the guest
 * is lost, and {@link #next()} fails instead of waiting for ever. Closing detaches.
 */
public final class ProcessSession implements AutoCloseable {

    /** What comes from an attached process. */
    public sealed interface Event {
        /** Bytes of stdout ({@link Tags#STDOUT}) or stderr ({@link Tags#STDERR}). */
        record Output(int tag, byte[] data) implements Event {}

        /** Output of one stream the agent no longer had: {@code totalBytes} of it so far. */
        record Dropped(int tag, long totalBytes) implements Event {}

        record Exited(ExecExit exit) implements Event {}
    }

    private static final byte[] EMPTY = new byte[0];

    private final Stream stream;
    private final ProcessInfo info;
    private final Duration deadline;

    ProcessSession(Stream stream, ProcessInfo info, Duration deadline) {
        this.stream = stream;
        this.info = info;
        this.deadline = deadline;
    }

    /** The process as it was when attached (or started). */
    public ProcessInfo info() {
        return info;
    }

    /** The next event, or null after the exit event. */
    public Event next() throws IOException {
        while (true) {
            Message message;
            try {
                message = stream.receive(deadline);
            } catch (TimeoutException e) {
                stream.reset("host gave up after " + deadline);
                throw new AgentClient.AgentTimeoutException("the guest agent sent nothing for " + deadline.toSeconds()
                        + " s: the sandbox is unresponsive");
            }
            if (message == null) {
                return null;
            }
            switch (message.tag()) {
                case Tags.STDOUT, Tags.STDERR -> {
                    return new Event.Output(message.tag(), message.data());
                }
                case Tags.DROPPED -> {
                    OutputDropped dropped = OutputDropped.decode(message.data());
                    return new Event.Dropped(dropped.tag(), dropped.totalBytes());
                }
                case Tags.EXIT -> {
                    return new Event.Exited(ExecExit.decode(message.data()));
                }
                case Tags.HEARTBEAT -> { } // alive; wait on
                case Tags.ERROR -> throw new GuestOperationException(AgentError.decode(message.data()));
                default -> throw new ProtocolException("unexpected tag " + message.tag() + " from an attached process");
            }
        }
    }

    /** Input for the process. */
    public void write(byte[] data) throws IOException {
        if (data.length > 0) {
            stream.send(Tags.STDIN, data);
        }
    }

    /** Closes the process's stdin (on a terminal: types end-of-file). */
    public void closeStdin() throws IOException {
        stream.send(Tags.STDIN, EMPTY);
    }

    public void resize(WindowSize size) throws IOException {
        stream.send(Tags.RESIZE, size.encode());
    }

    /** Detaches: a background process runs on; one that is not dies with the stream that started it. */
    @Override
    public void close() {
        stream.reset("detached by the host");
    }
}
