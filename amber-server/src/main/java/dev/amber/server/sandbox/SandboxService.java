package dev.amber.server.sandbox;

import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.network.Cidr;
import dev.amber.api.sandbox.ExecResponse;
import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.api.sandbox.SandboxView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostClient.HostException;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.http.Requests.PageRequest;
import dev.amber.server.template.TemplateRepository;
import dev.amber.server.template.TemplateRepository.Template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** Sandboxes as the API offers them: validated, recorded, placed on a host, and kept honest. */
public final class SandboxService {

    private static final System.Logger LOG = System.getLogger("amber.sandbox");
    /** Output kept per stream of a run-to-completion exec; the streaming endpoint has no such cap. */
    static final int MAX_EXEC_OUTPUT = 16 * 1024 * 1024;

    private final SandboxRepository sandboxes;
    private final TemplateRepository templates;
    private final HostDirectory hosts;
    private final AuditLog audit;
    private final SandboxLimits limits;

    public SandboxService(SandboxRepository sandboxes, TemplateRepository templates, HostDirectory hosts, AuditLog audit,
                          SandboxLimits limits) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.templates = requireNonNull(templates, "templates");
        this.hosts = requireNonNull(hosts, "hosts");
        this.audit = requireNonNull(audit, "audit");
        this.limits = requireNonNull(limits, "limits");
    }

    /**
     * Validates, records the sandbox as {@code creating} (before the host is called, so the
     * reconciler never races it), boots it, and records {@code running}. A failed boot leaves no row.
     */
    public SandboxView create(Caller caller, CreateSandboxRequest request) throws HostException {
        Template template = resolveSource(caller, request);
        int vcpus = Objects.requireNonNullElse(request.vcpus(), template.vcpus());
        int memoryMb = Objects.requireNonNullElse(request.memoryMb(), template.memoryMb());
        long diskSizeMb = Objects.requireNonNullElse(request.diskSizeMb(), SandboxLimits.DEFAULT_DISK_MB);
        int timeoutSec = Objects.requireNonNullElse(request.timeoutSec(), SandboxLimits.DEFAULT_TIMEOUT_SEC);
        limits.check(vcpus, memoryMb, diskSizeMb, timeoutSec);
        checkStrings("metadata", request.metadata());
        checkStrings("env", request.env());
        NetworkSettings network = checkNetwork(request.network() == null ? NetworkSettings.DEFAULT : request.network());

        UUID hostId = hosts.place(host -> sandboxes.activeOnHost(host).size());
        SandboxRecord record = sandboxes.insert(caller.teamId(), template.id(), vcpus, memoryMb, diskSizeMb, timeoutSec,
                Objects.requireNonNullElse(request.autoPause(), true), request.env(), request.metadata(), network, hostId);
        String id = Ids.SANDBOX.format(record.id());
        long started = System.nanoTime();
        try {
            hosts.require(hostId).createSandbox(id, vcpus, memoryMb, diskSizeMb, network);
        } catch (HostException | RuntimeException e) {
            sandboxes.delete(record.id());
            audit.record(caller, "sandbox.create", id, "failed", Map.of("reason", String.valueOf(e.getMessage())));
            throw e;
        }
        if (!sandboxes.transition(record.id(), SandboxState.CREATING, SandboxState.RUNNING, null)) {
            throw ApiException.conflict("sandbox " + id + " was deleted while it was being created");
        }
        LOG.log(System.Logger.Level.INFO, "sandbox {0} creating -> running in {1} ms", id,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        audit.record(caller, "sandbox.create", id, "ok", Map.of("template", template.name()));
        return view(require(caller, record.id()));
    }

    private Template resolveSource(Caller caller, CreateSandboxRequest request) {
        long sources = Stream.of(request.template(), request.image(), request.snapshotId()).filter(Objects::nonNull).count();
        if (sources > 1) {
            throw ApiException.badRequest("give at most one source: template, image or snapshotId");
        }
        if (request.entrypoint() != null && request.image() == null) {
            throw ApiException.badRequest("entrypoint is only allowed with image");
        }
        if (request.image() != null) {
            throw ApiException.unprocessable("image sources are not supported yet; use a template");
        }
        if (request.snapshotId() != null) {
            throw ApiException.unprocessable("unknown snapshot " + request.snapshotId());
        }
        String name = Objects.requireNonNullElse(request.template(), TemplateRepository.DEFAULT_TEMPLATE);
        return templates.findVisible(caller.teamId(), name)
                .orElseThrow(() -> ApiException.unprocessable("unknown template \"" + name + "\""));
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
        for (String cidr : java.util.stream.Stream.concat(network.allowOut().stream(), network.denyOut().stream()).toList()) {
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
        String id = Ids.SANDBOX.format(record.id());
        NetworkSettings network = checkNetwork(requested);
        hostOf(record).setNetworkPolicy(id, network);
        sandboxes.setNetwork(record.id(), network);
        audit.record(caller, "sandbox.network", id, "ok", Map.of("internet", network.internet()));
        return view(require(caller, record.id()));
    }

    public SandboxView get(Caller caller, String id) {
        return view(require(caller, id));
    }

    public Page<SandboxView> list(Caller caller, String state, Map<String, String> metadata, PageRequest page) {
        SandboxState filter = state == null ? null : parseState(state);
        List<SandboxRecord> rows = sandboxes.list(caller.teamId(), filter, metadata, page.offset(), page.limitPlusOne());
        return page.toPage(rows.stream().map(this::view).toList());
    }

    private static SandboxState parseState(String state) {
        try {
            return SandboxState.fromWireName(state);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown state \"" + state + "\"; one of creating, running, stopping, stopped, error");
        }
    }

    /** Stops the VM and frees its files; the record stays, in state {@code stopped}. */
    public void delete(Caller caller, String id) throws HostException {
        SandboxRecord record = require(caller, id);
        if (record.state() == SandboxState.STOPPED) {
            return;
        }
        if (record.state().isTransitional() || !sandboxes.transition(record.id(), record.state(), SandboxState.STOPPING, null)) {
            throw ApiException.conflict("sandbox " + id + " is " + record.state().wireName() + "; try again shortly");
        }
        try {
            hosts.require(record.hostId()).destroySandbox(id);
        } catch (HostException | RuntimeException e) {
            sandboxes.transition(record.id(), SandboxState.STOPPING, record.state(), record.stateReason());
            throw e;
        }
        sandboxes.transition(record.id(), SandboxState.STOPPING, SandboxState.STOPPED, "deleted by the user");
        audit.record(caller, "sandbox.delete", id, "ok", Map.of());
    }

    public ExecResponse exec(Caller caller, String id, ExecRequest request) throws HostException {
        HostClient host = running(caller, id);
        HostClient.ExecCall call = ExecCalls.from(request);
        HostClient.ExecOutcome outcome = host.exec(id, call, MAX_EXEC_OUTPUT);
        return new ExecResponse(outcome.exitCode(), new String(outcome.stdout(), StandardCharsets.UTF_8),
                new String(outcome.stderr(), StandardCharsets.UTF_8), outcome.durationMillis(), outcome.timedOut());
    }

    /** The host of a running sandbox of the caller's team; 404 or 409 otherwise. */
    public HostClient running(Caller caller, String id) {
        return hostOf(require(caller, id));
    }

    /** The host of a sandbox already looked up; 409 unless it is running. */
    public HostClient hostOf(SandboxRecord record) {
        if (record.state() != SandboxState.RUNNING) {
            throw ApiException.conflict("sandbox " + Ids.SANDBOX.format(record.id()) + " is " + record.state().wireName()
                    + (record.stateReason() == null ? "" : " (" + record.stateReason() + ")"));
        }
        return hosts.require(record.hostId());
    }

    /** The caller's sandbox; another team's is indistinguishable from a missing one. */
    public SandboxRecord require(Caller caller, String id) {
        return Ids.SANDBOX.parse(id).flatMap(uuid -> sandboxes.find(caller.teamId(), uuid))
                .orElseThrow(() -> ApiException.notFound("no sandbox " + id));
    }

    private SandboxRecord require(Caller caller, UUID id) {
        return require(caller, Ids.SANDBOX.format(id));
    }

    private SandboxView view(SandboxRecord record) {
        return new SandboxView(Ids.SANDBOX.format(record.id()), record.state().wireName(), record.stateReason(),
                record.template(),
                null, null, null, record.vcpus(), record.memoryMb(), record.diskSizeMb(), record.timeoutSec(),
                record.autoPause(), record.metadata(), record.network(), Ids.HOST.format(record.hostId()), record.createdAt(),
                record.updatedAt());
    }
}
