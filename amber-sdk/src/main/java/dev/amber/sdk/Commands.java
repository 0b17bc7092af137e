package dev.amber.sdk;

import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.ProcessView;
import dev.amber.api.sandbox.SignalRequest;

import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Processes that stream and outlive a call: {@link #start} one (in the background, to re-attach
 * later), {@link #attach} to one by pid (its recent output is replayed first), open a
 * {@link #terminal}, {@link #list} and {@link #signal} them. Events go to the callback given, or,
 * without one, wait in the handle for {@link CommandHandle#next} / {@link CommandHandle#events()}.
 */
public final class Commands {

    private final Transport transport;
    private final String sandboxId;

    Commands(Transport transport, String sandboxId) {
        this.transport = requireNonNull(transport, "transport");
        this.sandboxId = requireNonNull(sandboxId, "sandboxId");
    }

    /** Starts {@code request} (cmd or shell; {@code background}, {@code tag}) and streams it. */
    public CommandHandle start(ExecRequest request, Consumer<CommandEvent> onEvent) {
        return CommandHandle.open(transport, sandboxId, Endpoints.execStream(sandboxId), Query.empty(),
                requireNonNull(request, "request"), onEvent);
    }

    /** Starts {@code request}; its events wait in the handle. */
    public CommandHandle start(ExecRequest request) {
        return start(request, null);
    }

    /** Re-attaches to a process started through Amber: its retained output first, then live. */
    public CommandHandle attach(long pid, Consumer<CommandEvent> onEvent) {
        return CommandHandle.open(transport, sandboxId, Endpoints.processStream(sandboxId, pid), Query.empty(), null, onEvent);
    }

    public CommandHandle attach(long pid) {
        return attach(pid, null);
    }

    /** A login shell on a terminal of {@code rows} x {@code cols}: write keys, read what it shows. */
    public CommandHandle terminal(int rows, int cols, Consumer<CommandEvent> onEvent) {
        return CommandHandle.open(transport, sandboxId, Endpoints.terminal(sandboxId),
                Query.empty().with("rows", rows).with("cols", cols), null, onEvent);
    }

    /** The processes started through Amber: running ones and the most recent exited ones. */
    public List<ProcessView> list() {
        return transport.getPage(Endpoints.processes(sandboxId), Query.empty(), ProcessView.class).items();
    }

    /** Sends a signal (TERM, INT, KILL, a number...) to a process's group. */
    public ProcessView signal(long pid, String signal) {
        return transport.post(Endpoints.processSignal(sandboxId, pid), new SignalRequest(requireNonNull(signal, "signal")),
                ProcessView.class, transport.options().requestTimeout());
    }
}
