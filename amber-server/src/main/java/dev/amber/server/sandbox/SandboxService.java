package dev.amber.server.sandbox;

import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.network.Cidr;
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
import dev.amber.server.sandbox.SandboxTransitions.Transition;
import dev.amber.server.snapshot.SnapshotCollector;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotService;
import dev.amber.server.template.TemplateRepository;
import dev.amber.server.template.TemplateRepository.Template;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** Sandboxes as the API offers them: validated, recorded, placed on a host, and kept honest. */
public final class SandboxService {

    /** Output kept per stream of a run-to-completion exec; the streaming endpoint has no such cap. */
    static final int MAX_EXEC_OUTPUT = 16 * 1024 * 1024;

    /**
     * Where a new sandbox's machine comes from: a template (booted, placed on any host) or a
     * snapshot (restored on the snapshot's host, with its resources); {@code name} for the audit log.
     */
    private record Source(UUID templateId, UUID snapshotId, UUID imageId, UUID hostId, int vcpus, int memoryMb,
                          long diskSizeMb, String name) {}

    private final SandboxRepository sandboxes;
    private final TemplateRepository templates;
    private final SnapshotService snapshots;
    private final SnapshotCollector collector;
    private final SandboxTransitions transitions;
    private final SandboxPauses pauses;
    private final CallsInFlight calls;
    private final SandboxLauncher launcher;
    private final PortTokens tokens;
    private final Placement placement;
    private final HostDirectory hosts;
    private final AuditLog audit;
    private final SandboxLimits limits;
    private final SandboxMetricsKeeper metrics;

    public SandboxService(SandboxRepository sandboxes, TemplateRepository templates, SnapshotService snapshots,
                          SnapshotCollector collector, SandboxTransitions transitions, SandboxPauses pauses,
                          CallsInFlight calls, HostDirectory hosts, AuditLog audit, SandboxLimits limits,
                          SandboxMetricsKeeper metrics, SandboxWakeHook wakeHook) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.templates = requireNonNull(templates, "templates");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.collector = requireNonNull(collector, "collector");
        this.transitions = requireNonNull(transitions, "transitions");
        this.pauses = requireNonNull(pauses, "pauses");
        this.calls = requireNonNull(calls, "calls");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
        this.limits = requireNonNull(limits, "limits");
        this.metrics = requireNonNull(metrics, "metrics");
        this.launcher = new SandboxLauncher(sandboxes, transitions, hosts, audit, wakeHook);
        this.tokens = new PortTokens(sandboxes);
        this.placement = Placement.onConnectedHosts(hosts, sandboxes);
    }

    /**
     * Validates the request, then records and starts the sandbox: returns once it runs, or at once
     * (in state {@code creating}) when the request says {@code "wait": false}.
     */
    public SandboxView create(Caller caller, CreateSandboxRequest request) throws HostException {
        Source source = resolveSource(caller, request);
        int timeoutSec = Objects.requireNonNullElse(request.timeoutSec(), SandboxLimits.DEFAULT_TIMEOUT_SEC);
        limits.check(source.vcpus(), source.memoryMb(), source.diskSizeMb(), timeoutSec);
        checkStrings("metadata", request.metadata());
        checkStrings("env", request.env());
        NetworkSettings network = checkNetwork(request.network() == null ? NetworkSettings.DEFAULT : request.network());
        UUID hostId = placement.hostFor(source.hostId());
        NewSandbox sandbox = new NewSandbox(caller.teamId(), source.templateId(), source.snapshotId(), source.imageId(),
                hostId,
                source.vcpus(), source.memoryMb(), source.diskSizeMb(), timeoutSec,
                Objects.requireNonNullElse(request.autoPause(), true),
                Objects.requireNonNullElse(request.autoResume(), true), request.env(), request.metadata(), network);
        boolean wait = Objects.requireNonNullElse(request.waitUntilRunning(), true);
        SandboxRecord record = wait ? launcher.launch(caller, sandbox, source.name())
                : launcher.launchInBackground(caller, sandbox, source.name());
        return viewOfNew(record);
    }

    /** A new sandbox as its creator sees it: with its port token when its ports are not public. */
    public SandboxView viewOfNew(SandboxRecord record) {
        return record.network().portsArePublic() ? record.view() : record.view().withPortToken(tokens.issue(record));
    }

    /** A new sandbox restored from {@code checkpoint} with {@code source}'s settings: one copy of a fork. */
    public SandboxRecord fork(Caller caller, SandboxRecord source, SnapshotRecord checkpoint) throws HostException {
        return launcher.launch(caller, new NewSandbox(source.teamId(), null, checkpoint.id(), null, checkpoint.hostId(),
                checkpoint.vcpus(), checkpoint.memoryMb(), checkpoint.diskSizeMb(), source.timeoutSec(),
                source.autoPause(), source.autoResume(), source.env(), source.metadata(), source.network()),
                checkpoint.wireId());
    }

    /** The request's one source, each rule with its own message; resources as the source dictates. */
    private Source resolveSource(Caller caller, CreateSandboxRequest request) {
        long sources = Stream.of(request.template(), request.image(), request.snapshotId()).filter(Objects::nonNull).count();
        if (sources > 1) {
            throw ApiException.badRequest("give at most one source: template, image or snapshotId");
        }
        if (request.entrypoint() != null && request.snapshotId() != null) {
            throw ApiException.badRequest("entrypoint is not allowed with snapshotId: a snapshot's processes are "
                    + "already running");
        }
        if (request.entrypoint() != null && request.image() == null) {
            throw ApiException.badRequest("entrypoint is only allowed with image");
        }
        if (request.image() != null && request.entrypoint() == null) {
            throw ApiException.badRequest("entrypoint is required with image");
        }
        if (request.image() != null) {
            throw ApiException.unprocessable("sandboxes do not start from an image directly yet: import it as a template "
                    + "(POST /v1/templates with image, admins) and create with template");
        }
        if (request.snapshotId() != null) {
            return fromSnapshot(request, snapshots.require(caller, request.snapshotId()));
        }
        String name = Objects.requireNonNullElse(request.template(), TemplateRepository.DEFAULT_TEMPLATE);
        Template template = templates.findVisible(caller.teamId(), name)
                .orElseThrow(() -> ApiException.unprocessable("unknown template \"" + name + "\""));
        if (template.snapshotId() != null) {
            Source snapshot = fromSnapshot(request, snapshots.require(caller, Ids.SNAPSHOT.format(template.snapshotId())));
            return new Source(template.id(), snapshot.snapshotId(), null, snapshot.hostId(), snapshot.vcpus(),
                    snapshot.memoryMb(), snapshot.diskSizeMb(), template.name());
        }
        if (!template.state().equals("ready")) {
            throw ApiException.conflict("template \"" + name + "\" is " + template.state()
                    + (template.stateReason() == null ? "" : " (" + template.stateReason() + ")")
                    + "; it can start sandboxes once a build of it has succeeded");
        }
        long diskSizeMb = Objects.requireNonNullElse(request.diskSizeMb(), template.imageId() == null
                ? SandboxLimits.DEFAULT_DISK_MB : template.diskSizeMb());
        if (template.imageId() != null && diskSizeMb < template.diskSizeMb()) {
            throw ApiException.badRequest("diskSizeMb must be at least " + template.diskSizeMb() + " (the size of "
                    + "template \"" + name + "\"'s image), got " + diskSizeMb);
        }
        return new Source(template.id(), null, template.imageId(), template.hostId(),
                Objects.requireNonNullElse(request.vcpus(), template.vcpus()),
                Objects.requireNonNullElse(request.memoryMb(), template.memoryMb()), diskSizeMb, template.name());
    }

    private static Source fromSnapshot(CreateSandboxRequest request, SnapshotRecord snapshot) {
        SnapshotService.requireReady(snapshot);
        fromSnapshot("vcpus", request.vcpus(), snapshot.vcpus(), snapshot);
        fromSnapshot("memoryMb", request.memoryMb(), snapshot.memoryMb(), snapshot);
        fromSnapshot("diskSizeMb", request.diskSizeMb(), snapshot.diskSizeMb(), snapshot);
        return new Source(null, snapshot.id(), null, snapshot.hostId(), snapshot.vcpus(), snapshot.memoryMb(),
                snapshot.diskSizeMb(), snapshot.wireId());
    }

    /** A resource that comes from the snapshot may be repeated, not changed. */
    private static void fromSnapshot(String field, Number requested, long snapshotValue, SnapshotRecord snapshot) {
        if (requested != null && requested.longValue() != snapshotValue) {
            throw ApiException.badRequest(field + " comes from the snapshot (" + snapshot.wireId() + " has "
                    + snapshotValue + "); leave it out");
        }
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

    /** The policy with defaults filled in; a malformed CIDR is a 400 naming it. */
    private static NetworkSettings checkNetwork(NetworkSettings requested) {
        NetworkSettings network = requested.normalized();
        for (String cidr : Stream.concat(network.allowOut().stream(), network.denyOut().stream()).toList()) {
            try {
                Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("network: " + e.getMessage());
            }
        }
        return network;
    }

    /** Changes a running sandbox's egress policy: the host applies it at once, then it is recorded. */
    public SandboxView setNetwork(Caller caller, SandboxRecord record, NetworkSettings requested) throws HostException {
        String id = record.wireId();
        NetworkSettings network = checkNetwork(requested);
        hostOf(record).sandboxes().setNetworkPolicy(id, network);
        sandboxes.setNetwork(record.id(), network);
        audit.record(caller, "sandbox.network", id, "ok", Map.of("internet", network.internet(),
                "publicPorts", network.portsArePublic()));
        SandboxView view = transitions.require(caller, id).view();
        boolean madePrivate = record.network().portsArePublic() && !network.portsArePublic();
        return madePrivate ? view.withPortToken(tokens.issue(record)) : view;
    }

    public SandboxView get(Caller caller, String id) {
        return require(caller, id).view();
    }

    /** Keep-alive: records a call on the sandbox, whatever its state, and shows it. */
    public SandboxView ping(Caller caller, String id) {
        return transitions.touch(caller, id).view();
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
        return updated.view();
    }

    public Page<SandboxView> list(Caller caller, String state, Map<String, String> metadata, PageRequest page) {
        SandboxState filter = state == null ? null : parseState(state);
        List<SandboxRecord> rows = sandboxes.list(caller.teamId(), filter, metadata, page.offset(), page.limitPlusOne());
        return page.toPage(rows.stream().map(SandboxRecord::view).toList());
    }

    private static SandboxState parseState(String state) {
        try {
            return SandboxState.fromWireName(state);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown state \"" + state + "\"; one of " + SandboxState.wireNames());
        }
    }

    /**
     * Stops the VM and frees its files (a paused one's saved state too); the record stays, in state
     * {@code stopped}. Then deletes the checkpoints that nothing needs any more.
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
        collector.collect();
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
