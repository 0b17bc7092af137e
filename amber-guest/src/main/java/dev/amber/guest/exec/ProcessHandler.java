package dev.amber.guest.exec;

import dev.amber.guest.GuestException;
import dev.amber.guest.Replies;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.OutputDropped;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.message.WindowSize;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Processes that outlive their stream: start one, attach to one (replay, then live output, input
 * and terminal size the other way), list them, signal them.
 */
public final class ProcessHandler {

    private static final byte[] EMPTY = new byte[0];

    private final ProcessTable table;

    public ProcessHandler(ProcessLauncher launcher) {
        this.table = new ProcessTable(launcher);
    }

    public void start(Stream stream, Request.Start request) throws IOException, InterruptedException {
        attach(stream, table.start(request), true);
    }

    public void attach(Stream stream, Request.Attach request) throws IOException, InterruptedException {
        attach(stream, table.find(request.pid()), false);
    }

    public void list(Stream stream) throws IOException {
        Replies.ok(stream, ProcessInfo.encodeList(table.list()));
    }

    public void signal(Stream stream, Request.Signal request) throws IOException {
        TrackedProcess process = table.find(request.pid());
        if (!process.running() || !process.signal(request.signal())) {
            throw new GuestException(ErrorCode.NOT_FOUND, "process " + request.pid() + " has exited");
        }
        Replies.ok(stream, process.info().encode());
    }

    /**
     * Sends the process's info, its retained output and then its live output until it ends or the
     * host detaches. A process that is not in the background dies with the stream that started it.
     */
    private static void attach(Stream stream, TrackedProcess process, boolean starter)
            throws IOException, InterruptedException {
        AtomicBoolean detached = new AtomicBoolean();
        Thread input = null;
        try {
            stream.send(Tags.REPLY, process.info().encode());
            input = Thread.ofPlatform().daemon().name("input-" + process.pid())
                    .start(() -> takeInput(stream, process, detached));
            OutputLog.Cursor cursor = OutputLog.Cursor.START;
            while (!detached.get()) {
                OutputLog.Batch batch = process.log().next(cursor, Heartbeat.INTERVAL_MILLIS);
                if (batch.droppedStdout() > 0) {
                    stream.send(Tags.DROPPED, new OutputDropped(Tags.STDOUT, batch.droppedStdout()).encode());
                }
                if (batch.droppedStderr() > 0) {
                    stream.send(Tags.DROPPED, new OutputDropped(Tags.STDERR, batch.droppedStderr()).encode());
                }
                for (OutputLog.Piece piece : batch.pieces()) {
                    stream.send(piece.tag(), piece.data());
                }
                cursor = batch.cursor();
                if (batch.finished()) {
                    stream.send(Tags.EXIT, process.exit().encode());
                    stream.end();
                    return;
                }
                if (batch.isEmpty()) {
                    stream.send(Tags.HEARTBEAT, EMPTY);
                }
            }
            stream.end();
        } finally {
            detached.set(true);
            if (input != null) {
                input.interrupt();
            }
            if (starter && !process.background()) {
                process.kill();
            }
        }
    }

    /** The host's side: input and terminal sizes; its end of the stream (or a reset) detaches. */
    private static void takeInput(Stream stream, TrackedProcess process, AtomicBoolean detached) {
        try {
            Message message;
            while ((message = stream.receive()) != null) {
                switch (message.tag()) {
                    case Tags.STDIN -> {
                        if (message.data().length == 0) {
                            process.closeStdin();
                        } else {
                            process.write(message.data());
                        }
                    }
                    case Tags.RESIZE -> process.resize(WindowSize.decode(message.data()));
                    default -> { } // nothing else is meaningful from the host here
                }
            }
        } catch (IOException e) {
            // reset by the host, or interrupted because the output side is done
        } finally {
            detached.set(true);
            process.log().wakeReaders();
        }
    }
}
