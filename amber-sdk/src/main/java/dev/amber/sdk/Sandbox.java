package dev.amber.sdk;

import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.ExecResponse;
import dev.amber.api.sandbox.SandboxView;
import dev.amber.api.sandbox.UpdateSandboxRequest;
import dev.amber.api.snapshot.CreateSnapshotRequest;
import dev.amber.api.snapshot.ForkRequest;
import dev.amber.api.snapshot.ForkResponse;
import dev.amber.api.snapshot.SnapshotView;
import dev.amber.sdk.error.NotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * One sandbox. {@link #view()} is what the server said when this handle was made or last
 * {@link #refresh() refreshed}. Closing the handle kills the sandbox, so try-with-resources cleans up.
 */
public final class Sandbox implements AutoCloseable {

    private final Transport transport;
    private final String id;
    private final SandboxFiles files;
    private final Commands commands;
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile SandboxView view;

    Sandbox(Transport transport, SandboxView view) {
        this.transport = requireNonNull(transport, "transport");
        this.view = requireNonNull(view, "view");
        this.id = requireNonNull(view.id(), "view.id");
        this.files = new SandboxFiles(transport, id);
        this.commands = new Commands(transport, id);
    }

    public String id() {
        return id;
    }

    public SandboxView view() {
        return view;
    }

    /** Fetches the sandbox again, updating {@link #view()}. */
    public SandboxView refresh() {
        view = transport.get(Endpoints.sandbox(id), Query.empty(), SandboxView.class);
        return view;
    }

    /**
     * Keep-alive: counts as activity, which holds off the pause after {@code timeoutSec} without any;
     * updates {@link #view()}. Every other call on the sandbox counts too.
     */
    public SandboxView ping() {
        view = transport.post(Endpoints.ping(id), SandboxView.class, transport.options().requestTimeout());
        return view;
    }

    /**
     * Changes the settings {@code request} gives (inactivity {@code timeoutSec}, {@code autoResume},
     * {@code metadata}, which replaces the whole map); the others stay. Updates {@link #view()}.
     */
    public SandboxView update(UpdateSandboxRequest request) {
        view = transport.patch(Endpoints.sandbox(id), requireNonNull(request, "request"), SandboxView.class);
        return view;
    }

    /** Runs {@code argv} (no shell) to completion. */
    public ExecResponse exec(String... argv) {
        return exec(ExecRequest.of(List.of(argv)));
    }

    /** Runs {@code commandLine} with {@code bash -c} to completion. */
    public ExecResponse shell(String commandLine) {
        requireNonNull(commandLine, "commandLine");
        return exec(ExecRequest.shell(commandLine));
    }

    /**
     * Runs a process to completion. A request without {@code timeoutSec} gets
     * {@link AmberOptions#execTimeout()}; the client waits that long plus {@link AmberOptions#execMargin()}.
     */
    public ExecResponse exec(ExecRequest request) {
        requireNonNull(request, "request");
        AmberOptions options = transport.options();
        // At least 1: the server refuses 0, and a sub-second execTimeout still means "a short one".
        ExecRequest bounded = request.timeoutSec() != null ? request
                : request.withTimeoutSec(Math.toIntExact(Math.max(1, options.execTimeout().toSeconds())));
        Duration wait = Duration.ofSeconds(bounded.timeoutSec()).plus(options.execMargin());
        return transport.post(Endpoints.exec(id), bounded, ExecResponse.class, wait);
    }

    public SandboxFiles files() {
        return files;
    }

    /** Processes that stream, outlive a call and can be re-attached; terminals. */
    public Commands commands() {
        return commands;
    }

    /**
     * CPU, memory and disk use over {@code range}: "10m" (every 500 ms sample), "2h" (30 s
     * averages) or "24h" (5 min averages); live while it runs, as it was when paused. Not activity.
     */
    public SandboxMetrics metrics(String range) {
        return transport.get(Endpoints.metrics(id), Query.empty().with("range", requireNonNull(range, "range")),
                SandboxMetrics.class);
    }

    /**
     * Saves the sandbox's memory and disk and stops its VM, updating {@link #view()}; it keeps its id,
     * files and processes and uses no CPU or memory until {@link #resume() resumed}.
     */
    public SandboxView pause() {
        return update(Endpoints.pause(id));
    }

    /** Starts a paused sandbox again where it left off, updating {@link #view()}. */
    public SandboxView resume() {
        return update(Endpoints.resume(id));
    }

    /**
     * Saves the running sandbox's state as a checkpoint to {@link #restore} later; the sandbox stops
     * only for {@link SnapshotView#pauseWindowMs()} and then runs on.
     */
    public Snapshot checkpoint() {
        return new Snapshot(transport, transport.post(Endpoints.checkpoints(id), SnapshotView.class,
                transport.options().createTimeout()));
    }

    /** The sandbox's checkpoints, all pages. */
    public List<Snapshot> checkpoints() {
        return Snapshot.all(transport, Endpoints.checkpoints(id), Query.empty());
    }

    /** Rolls the sandbox back to one of its checkpoints, in place: same id, same network; updates {@link #view()}. */
    public SandboxView restore(Snapshot checkpoint) {
        return restore(requireNonNull(checkpoint, "checkpoint").id());
    }

    /** {@link #restore(Snapshot)} by the checkpoint's id. */
    public SandboxView restore(String checkpointId) {
        return update(Endpoints.restore(id, checkpointId));
    }

    /**
     * {@code count} new running sandboxes, each a copy of this one as it is now, memory included; this
     * one runs on. The server takes a checkpoint to copy from. Close the copies as any sandbox.
     */
    public List<Sandbox> fork(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        ForkResponse forked = transport.post(Endpoints.fork(id), new ForkRequest(count), ForkResponse.class,
                transport.options().createTimeout());
        return forked.sandboxes().stream().map(copy -> new Sandbox(transport, copy)).toList();
    }

    /**
     * Saves the running sandbox's state as a snapshot called {@code name}, unique within the team; it
     * outlives this sandbox and starts new ones with {@link Sandboxes#fromSnapshot}.
     */
    public Snapshot snapshot(String name) {
        CreateSnapshotRequest request = new CreateSnapshotRequest(requireNonNull(name, "name"));
        return new Snapshot(transport, transport.post(Endpoints.snapshotsOf(id), request, SnapshotView.class,
                transport.options().createTimeout()));
    }

    /** Destroys the sandbox: its VM, memory and disk are freed. */
    public void kill() {
        transport.delete(Endpoints.sandbox(id), Query.empty());
        killed.set(true);
    }

    /** Kills the sandbox unless this handle already did; one already gone is not an error here. */
    @Override
    public void close() {
        if (killed.get()) {
            return;
        }
        try {
            kill();
        } catch (NotFoundException e) {
            killed.set(true);
        }
    }

    /** A state change the server answers with the sandbox as it now is. */
    private SandboxView update(String endpoint) {
        view = transport.post(endpoint, SandboxView.class, transport.options().createTimeout());
        return view;
    }
}
