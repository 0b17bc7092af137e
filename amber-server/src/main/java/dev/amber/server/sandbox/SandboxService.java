package dev.amber.server.sandbox;

import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.ExecResponse;
import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.api.sandbox.SandboxView;
import dev.amber.api.sandbox.UpdateSandboxRequest;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostProcesses;
import dev.amber.server.host.ProcessStream;
import dev.amber.server.http.Requests.PageRequest;
import dev.amber.server.quota.Demand;
import dev.amber.server.quota.TeamQuotas;
import dev.amber.server.sandbox.SandboxTransitions.Transition;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/** Sandboxes as the API offers them: validated, recorded, placed on a host, and kept honest. */
public final class SandboxService {

    /** Output kept per stream of a run-to-completion exec; the streaming endpoint has no such cap. */
    static final int MAX_EXEC_OUTPUT = 16 * 1024 * 1024;

    private final SandboxRepository sandboxes;
    private final SourceResolver sources;
    private final FreedStorage freed;
    private final SandboxTransitions transitions;
    private final SandboxPauses pauses;
    private final CallsInFlight calls;
    private final SandboxLauncher launcher;
    private final PortTokens tokens;
    private final Placement placement;
    private final HostDirectory hosts;
    private final AuditLog audit;
    private final SandboxLimits limits;
    private final EgressCheck egress;
    private final SandboxMetricsKeeper metrics;
    private final TeamQuotas quotas;

    /** {@code placement} and {@code quotas} admit new sandboxes (the same ones {@code pauses} admits resumes with). */
    public SandboxService(SandboxRepository sandboxes, SourceResolver sources, FreedStorage freed,
                          SandboxTransitions transitions, SandboxPauses pauses,
                          CallsInFlight calls, HostDirectory hosts, AuditLog audit, SandboxLimits limits,
                          EgressCheck egress, SandboxMetricsKeeper metrics, SandboxWakeHook wakeHook, Placement placement,
                          TeamQuotas quotas) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.sources = requireNonNull(sources, "sources");
        this.freed = requireNonNull(freed, "freed");
        this.transitions = requireNonNull(transitions, "transitions");
        this.pauses = requireNonNull(pauses, "pauses");
        this.calls = requireNonNull(calls, "calls");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
        this.limits = requireNonNull(limits, "limits");
        this.egress = requireNonNull(egress, "egress");
        this.metrics = requireNonNull(metrics, "metrics");
        this.quotas = requireNonNull(quotas, "quotas");
        this.placement = requireNonNull(placement, "placement");
        this.launcher = new SandboxLauncher(sandboxes, transitions, hosts, audit, wakeHook, quotas);
        this.tokens = new PortTokens(sandboxes);
    }

    /**
     * Validates the request, then records and starts the sandbox: returns once it runs, or at once
     * (in state {@code creating}) when the request says {@code "wait": false}.
     */
    public SandboxView create(Caller caller, CreateSandboxRequest request) throws HostException {
        NewSandbox.Builder sandbox = NewSandbox.builder(sources.resolve(caller, request))
                .timeoutSec(Objects.requireNonNullElse(request.timeoutSec(), limits.defaultTimeoutSec()))
                .autoPause(Objects.requireNonNullElse(request.autoPause(), true))
                .autoResume(Objects.requireNonNullElse(request.autoResume(), true))
                .env(Objects.requireNonNullElse(request.env(), Map.of()))
                .metadata(Objects.requireNonNullElse(request.metadata(), Map.of()))
                .network(Objects.requireNonNullElse(request.network(), NetworkSettings.DEFAULT));
        if (request.hostId() != null) {
            sandbox.pinnedHost(Ids.HOST.parse(request.hostId())
                    .orElseThrow(() -> ApiException.notFound("unknown host " + request.hostId())));
        }
        return viewOfNew(create(caller, sandbox.build(), Objects.requireNonNullElse(request.waitUntilRunning(), true)));
    }

    /**
     * Checks the sandbox's resources and settings, places it (on its source's host, if the source
     * binds it to one, or the host it is pinned to, and only where there is room: 503 otherwise),
     * then records and starts it, within the team's quota (429 otherwise): returns once it runs, or
     * at once (in state {@code creating}) unless {@code wait}.
     */
    public SandboxRecord create(Caller caller, NewSandbox sandbox, boolean wait) throws HostException {
        Resources resources = sandbox.resources();
        limits.check(resources.vcpus(), resources.memoryMb(), resources.diskSizeMb(), sandbox.timeoutSec());
        checkStrings("metadata", sandbox.metadata());
        checkStrings("env", sandbox.env());
        NewSandbox checked = sandbox.withNetwork(egress.check(sandbox.network()));
        quotas.check(caller.teamId(), Demand.sandboxes(1, resources.vcpus(), resources.memoryMb()));
        sandbox.source().restorePoint().ifPresent(this::requireRestorable);
        UUID hostId = placement.hostFor(PlacementRequest.of(caller, sandbox));
        return wait ? launcher.launch(caller, hostId, checked) : launcher.launchInBackground(caller, hostId, checked);
    }

    /**
     * 409 {@code snapshot_not_durable} when a saved machine is kept only on a host that is gone: no
     * other host can start from it until it is in the object store.
     */
    private void requireRestorable(RestorePoint saved) {
        if (pauses.durability().objectStore() && !saved.durable() && !hosts.reachable(saved.hostId())) {
            throw new ApiException(ErrorCode.SNAPSHOT_NOT_DURABLE, saved.wireId() + " is kept only on host "
                    + Ids.HOST.format(saved.hostId()) + ", which is unreachable, and is not in the object store yet");
        }
    }

    /** A new sandbox as its creator sees it: with its port token when its ports are not public. */
    /** The sandbox as the API shows it, with whether its host is reachable now. */
    public SandboxView view(SandboxRecord record) {
        return record.view(hosts);
    }

    public SandboxView viewOfNew(SandboxRecord record) {
        return record.network().portsArePublic() ? record.view(hosts) : record.view(hosts).withPortToken(tokens.issue(record));
    }

    /**
     * Refuses (429) a fork of {@code copies} copies of {@code source} that the team's quota cannot
     * hold, before its checkpoint is taken; each copy is checked again as it is recorded.
     */
    public void checkFork(Caller caller, SandboxRecord source, int copies) {
        quotas.check(caller.teamId(), Demand.sandboxes(copies, source.vcpus(), source.memoryMb()));
    }

    /**
     * A new sandbox restored from {@code checkpoint} with {@code source}'s settings, on the
     * checkpoint's host if it has room: one copy of a fork.
     */
    public SandboxRecord fork(Caller caller, SandboxRecord source, RestorePoint checkpoint) throws HostException {
        placement.admit(checkpoint.hostId(), new Resources(source.vcpus(), source.memoryMb(), source.diskSizeMb()));
        return launcher.launch(caller, checkpoint.hostId(), NewSandbox.builder(new Source.Checkpoint(checkpoint))
                .timeoutSec(source.timeoutSec()).autoPause(source.autoPause()).autoResume(source.autoResume())
                .env(source.env()).metadata(source.metadata()).network(source.network()).build());
    }

    private static void checkStrings(String field, Map<String, String> values) {
        if (values == null) {
            return;
        }
        values.forEach((key, value) -> {
            if (key == null || key.isEmpty() || value == null) {
                throw ApiException.badRequest(field + " keys must be non-empty and values non-null");
            }
            if (key.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw ApiException.badRequest(field + " must not contain NUL bytes");
            }
        });
    }

    /** Changes a running sandbox's egress policy: the host applies it at once, then it is recorded. */
    public SandboxView setNetwork(Caller caller, SandboxRecord record, NetworkSettings requested) throws HostException {
        String id = record.wireId();
        NetworkSettings network = egress.check(requested);
        hostOf(record).sandboxes().setNetworkPolicy(id, network);
        sandboxes.setNetwork(record.id(), network);
        audit.record(caller, "sandbox.network", id, "ok", Map.of("internet", network.internet(),
                "publicPorts", network.portsArePublic()));
        SandboxView view = transitions.require(caller, id).view(hosts);
        boolean madePrivate = record.network().portsArePublic() && !network.portsArePublic();
        return madePrivate ? view.withPortToken(tokens.issue(record)) : view;
    }

    public SandboxView get(Caller caller, String id) {
        return require(caller, id).view(hosts);
    }

    /** Keep-alive: records a call on the sandbox, whatever its state, and shows it. */
    public SandboxView ping(Caller caller, String id) {
        return transitions.touch(caller, id).view(hosts);
    }

    /** Changes the settings the request gives, checked as on create; the rest stays. */
    public SandboxView update(Caller caller, String id, UpdateSandboxRequest request) {
        UUID uuid = transitions.touch(caller, id).id();
        if (request.timeoutSec() != null) {
            limits.checkTimeout(request.timeoutSec());
        }
        checkStrings("metadata", request.metadata());
        SandboxRecord updated = sandboxes.update(caller.teamId(), uuid, request.timeoutSec(), request.autoResume(),
                request.metadata()).orElseThrow(() -> ApiException.notFound("no sandbox " + id));
        audit.record(caller, "sandbox.update", id, "ok", Map.of("timeoutSec", updated.timeoutSec(),
                "autoResume", updated.autoResume()));
        return updated.view(hosts);
    }

    /**
     * A page of the caller's sandboxes in {@code state}: by default the live ones (every state but
     * {@code stopped}), {@code all} for every one (ended ones are kept for the history period).
     */
    public Page<SandboxView> list(Caller caller, String state, Map<String, String> metadata, PageRequest page) {
        List<SandboxRecord> rows = sandboxes.list(caller.teamId(), states(state), metadata, page.offset(),
                page.limitPlusOne());
        return page.toPage(rows.stream().map(record -> record.view(hosts)).toList());
    }

    private static Set<SandboxState> states(String state) {
        if (state == null) {
            return EnumSet.complementOf(EnumSet.of(SandboxState.STOPPED));
        }
        if (state.equals("all")) {
            return EnumSet.allOf(SandboxState.class);
        }
        try {
            return EnumSet.of(SandboxState.fromWireName(state));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown state \"" + state + "\"; one of " + SandboxState.wireNames()
                    + " or all");
        }
    }

    /**
     * Stops the VM and frees its files (a paused one's saved state too); the record stays, in state
     * {@code stopped}. Then deletes the snapshots and images that nothing needs any more.
     */
    public void delete(Caller caller, String id) throws HostException {
        if (transitions.settled(caller, id).state() == SandboxState.STOPPED) {
            return;
        }
        Transition stopping = transitions.begin(caller, id, SandboxState.STOPPING,
                Set.of(SandboxState.RUNNING, SandboxState.PAUSED, SandboxState.ERROR), "there is nothing to delete");
        stopping.attempt(() -> {
            destroy(stopping.before());
            return null;
        });
        stopping.finish(SandboxState.STOPPED, "deleted by the user");
        audit.record(caller, "sandbox.delete", id, "ok", Map.of());
        freed.collect();
    }

    /**
     * Frees the sandbox's VM and files on its host. One that never started there (a failed create)
     * or is gone already has nothing to free.
     */
    private void destroy(SandboxRecord sandbox) throws HostException {
        metrics.destroying(sandbox);
        try {
            hosts.require(sandbox.hostId()).sandboxes().destroy(sandbox.wireId());
        } catch (HostException e) {
            if (e.kind() != HostException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Runs a process to completion; the sandbox counts as active for as long as it runs. */
    public ExecResponse exec(Caller caller, String id, ExecRequest request) throws HostException {
        HostProcesses.ExecCall call = ExecCalls.forRun(request);
        HostProcesses host = running(caller, id).processes();
        HostProcesses.ExecOutcome outcome;
        try (CallsInFlight.Call ignored = calls.begin(id)) {
            outcome = host.exec(id, call, MAX_EXEC_OUTPUT);
        }
        return new ExecResponse(outcome.exitCode(), new String(outcome.stdout(), StandardCharsets.UTF_8),
                new String(outcome.stderr(), StandardCharsets.UTF_8), outcome.durationMillis(), outcome.timedOut());
    }

    /**
     * Runs a process to its end, handing its output to {@code onOutput} (stream name, bytes) as it is
     * produced; the sandbox counts as active meanwhile. The process dies if this call is abandoned.
     */
    public ProcessStream.Exit run(Caller caller, String id, ExecRequest request, BiConsumer<String, byte[]> onOutput)
            throws HostException {
        HostProcesses.ProcessCall call = ExecCalls.forStream(request, null);
        HostProcesses host = running(caller, id).processes();
        try (CallsInFlight.Call ignored = calls.begin(id); ProcessStream process = host.start(id, call)) {
            ProcessStream.Event event;
            while ((event = process.next()) != null) {
                switch (event) {
                    case ProcessStream.Event.Output(String stream, byte[] data) -> onOutput.accept(stream, data);
                    case ProcessStream.Event.Dropped dropped -> onOutput.accept(dropped.stream(), ("\n[amber: "
                            + dropped.totalBytes() + " bytes of output dropped: the reader fell more than 1 MiB behind]\n")
                            .getBytes(StandardCharsets.UTF_8));
                    case ProcessStream.Event.Exited(ProcessStream.Exit exit) -> {
                        return exit;
                    }
                }
            }
        }
        throw new HostException(HostException.Kind.UNAVAILABLE, "the process stream ended without the process's exit");
    }

    /**
     * The host of the caller's sandbox, running, for a call into it (exec, files, ports): waits for a
     * transition in flight to end (a boot, a pause...), resumes a paused sandbox if its
     * {@code autoResume} allows, and records the call as activity. 404 for another team's sandbox;
     * 409 naming the state when it does not run (or is paused with {@code autoResume} off).
     */
    public HostClient running(Caller caller, String id) {
        SandboxRecord record = settled(caller, id);
        if (record.state() == SandboxState.PAUSED && record.autoResume()) {
            pauses.wake(caller, record);
            record = settled(caller, id);
        }
        return hostOf(record);
    }

    /** The host of a sandbox already looked up; 409 unless it is running, saying how to resume a paused one. */
    public HostClient hostOf(SandboxRecord record) {
        String id = record.wireId();
        String state = "sandbox " + id + " is " + record.state().wireName()
                + (record.stateReason() == null ? "" : " (" + record.stateReason() + ")");
        if (record.state() == SandboxState.PAUSED) {
            String resume = "resume it with POST /v1/sandboxes/" + id + "/resume";
            throw ApiException.conflict(state + "; " + (record.autoResume() ? resume
                    : "its autoResume is off: " + resume + ", or turn autoResume on with PATCH /v1/sandboxes/" + id));
        }
        if (record.state() != SandboxState.RUNNING) {
            throw ApiException.conflict(state);
        }
        return hosts.require(record.hostId());
    }

    /** The caller's sandbox; another team's is indistinguishable from a missing one. */
    public SandboxRecord require(Caller caller, String id) {
        return transitions.require(caller, id);
    }

    /** The caller's sandbox once no operation is in flight on it (waiting a bounded time for one to end). */
    public SandboxRecord settled(Caller caller, String id) {
        return transitions.settled(caller, id);
    }
}
