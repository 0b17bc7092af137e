package dev.amber.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.audit.AuditRoutes;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.cluster.ClusterAuthority;
import dev.amber.server.cluster.HostJoinService;
import dev.amber.server.cluster.JoinRoutes;
import dev.amber.server.cluster.JoinTokens;
import dev.amber.server.db.Database;
import dev.amber.server.file.FileRoutes;
import dev.amber.server.durable.ObjectStorage;
import dev.amber.server.host.HostCleanups;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostRepository;
import dev.amber.server.http.HttpApi;
import dev.amber.server.http.Json;
import dev.amber.server.http.Requests;
import dev.amber.server.metrics.MetricsArchive;
import dev.amber.server.metrics.MetricsRepository;
import dev.amber.server.metrics.MetricsRoutes;
import dev.amber.server.metrics.SandboxMetricsQuery;
import dev.amber.server.monitoring.HostRoutes;
import dev.amber.server.monitoring.PlatformMetrics;
import dev.amber.server.monitoring.PlatformRoutes;
import dev.amber.server.patch.PatchRoutes;
import dev.amber.server.patch.PatchService;
import dev.amber.server.quota.RateLimiter;
import dev.amber.server.replica.Replica;
import dev.amber.server.quota.TeamQuotas;
import dev.amber.server.port.PortRoutes;
import dev.amber.server.process.ProcessRoutes;
import dev.amber.server.process.ProcessService;
import dev.amber.server.sandbox.CallsInFlight;
import dev.amber.server.sandbox.Durability;
import dev.amber.server.sandbox.HistoryPruner;
import dev.amber.server.sandbox.InactivityReaper;
import dev.amber.server.sandbox.Admission;
import dev.amber.server.sandbox.Placement;
import dev.amber.server.sandbox.Reconciler;
import dev.amber.server.sandbox.EgressCheck;
import dev.amber.server.sandbox.FreedStorage;
import dev.amber.server.sandbox.SandboxLimits;
import dev.amber.server.sandbox.SandboxPauses;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.sandbox.SandboxRoutes;
import dev.amber.server.sandbox.SandboxService;
import dev.amber.server.sandbox.SandboxTransitions;
import dev.amber.server.snapshot.Forks;
import dev.amber.server.snapshot.SnapshotCollector;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.server.snapshot.SnapshotRoutes;
import dev.amber.server.snapshot.SnapshotService;
import dev.amber.server.team.AdminBootstrap;
import dev.amber.server.team.ApiKeyRepository;
import dev.amber.server.team.TeamDeletion;
import dev.amber.server.team.TeamRepository;
import dev.amber.server.team.TeamRoutes;
import dev.amber.server.template.BuildRepository;
import dev.amber.server.template.ImageRelease;
import dev.amber.server.template.SandboxSources;
import dev.amber.server.template.TemplateRepository;
import dev.amber.server.template.TemplateRoutes;
import dev.amber.server.template.Templates;
import io.grpc.BindableService;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The control plane, wired: database, services, HTTP API and reconciler. Hosts join through
 * {@link #join()} and register through {@link #hosts()}; the server never touches a VM itself.
 * Several of these (replicas, one per process) may serve one database: each is a {@link Replica},
 * every host registers with each, and what one leaves in flight when it dies the others settle.
 */
public final class AmberServer implements AutoCloseable {

    /** How often the reconciler compares hosts with the database. */
    public static final long RECONCILE_MILLIS = 5_000;
    /** How often hosts silent past the timeout are marked unreachable. */
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(1);

    private final Replica replica;
    private final HostDirectory hosts;
    private final HostRepository hostRepository;
    private final HostJoinService join;
    private final HttpApi http;
    private final Reconciler reconciler;
    private final InactivityReaper reaper;
    private final HistoryPruner pruner;
    private final SandboxPauses pauses;
    private final Templates templates;
    private final Optional<ObjectStorage> storage;

    private AmberServer(Replica replica, HostDirectory hosts, HostRepository hostRepository, HostJoinService join, HttpApi http,
                        Reconciler reconciler, InactivityReaper reaper, HistoryPruner pruner, SandboxPauses pauses, Templates templates,
                        Optional<ObjectStorage> storage) {
        this.replica = replica;
        this.templates = templates;
        this.storage = storage;
        this.hosts = hosts;
        this.hostRepository = hostRepository;
        this.join = join;
        this.http = http;
        this.reconciler = reconciler;
        this.reaper = reaper;
        this.pruner = pruner;
        this.pauses = pauses;
    }

    /** Starts serving as {@code settings} say; hosts join with tokens whose certificates {@code authority} issues. */
    public static AmberServer start(Database database, ClusterAuthority authority, HostDirectory.HostConnector connector,
                                    Path adminKeyFile, ServerSettings settings) throws IOException {
        requireNonNull(database, "database");
        requireNonNull(authority, "authority");
        ObjectMapper json = Json.mapper();
        var jdbi = database.jdbi();
        TeamRepository teams = new TeamRepository(jdbi);
        ApiKeyRepository keys = new ApiKeyRepository(jdbi);
        new AdminBootstrap(teams, keys).ensureAdmin(adminKeyFile);
        AuditLog audit = new AuditLog(jdbi, json);
        Replica replica = Replica.join(jdbi, settings.bindHost() + ":" + settings.port());
        HostRepository hostRepository = new HostRepository(jdbi);
        HostDirectory hosts = new HostDirectory(hostRepository, connector, settings.hostTimeout());
        JoinTokens joinTokens = new JoinTokens(jdbi);
        SandboxRepository sandboxRepository = new SandboxRepository(jdbi, json, replica.id());
        CapacitySettings capacity = settings.capacity();
        TeamQuotas quotas = new TeamQuotas(jdbi);
        Placement placement = Placement.onConnectedHosts(hosts, sandboxRepository,
                new Admission(new Admission.Overcommit(capacity.memoryOvercommit(), capacity.vcpuOvercommit())));
        SandboxLimits limits = SandboxLimits.defaults().withDefaultTimeoutSec(capacity.defaultTimeoutSec());
        BuildRepository buildRepository = new BuildRepository(jdbi, json, replica.id());
        PlatformMetrics metrics = new PlatformMetrics(sandboxRepository, buildRepository, hosts);
        SandboxTransitions transitions = new SandboxTransitions(sandboxRepository, metrics.registry());
        SnapshotRepository snapshotRepository = new SnapshotRepository(jdbi, replica.id());
        replica.settleLeftovers(snapshotRepository::failInterrupted);
        Optional<ObjectStorage> storage = ObjectStorage.open(settings.store());
        HostCleanups cleanups = new HostCleanups(jdbi, hosts);
        SnapshotCollector collector = new SnapshotCollector(snapshotRepository, hosts, cleanups,
                storage.map(ObjectStorage::manifests));
        TemplateRepository templateRepository = new TemplateRepository(jdbi);
        ImageRelease images = new ImageRelease(templateRepository, hosts);
        FreedStorage freed = () -> {
            collector.collect();
            images.collect();
        };
        SnapshotService snapshots = new SnapshotService(snapshotRepository, sandboxRepository, transitions, collector,
                freed, hosts, audit, quotas);
        MetricsRepository metricsRepository = new MetricsRepository(jdbi, json);
        MetricsArchive metricsArchive = new MetricsArchive(metricsRepository, hosts, MetricsArchive.DEFAULT_RETENTION);
        PatchService patches = new PatchService(jdbi, snapshots, hosts, audit);
        SandboxPauses pauses = new SandboxPauses(sandboxRepository, transitions, hosts, audit, metricsArchive,
                patches.applier(), placement, quotas, new Durability(storage.isPresent()));
        CallsInFlight calls = new CallsInFlight();
        SandboxSources sources = new SandboxSources(templateRepository, snapshots);
        SandboxService sandboxes = new SandboxService(sandboxRepository, sources, freed, transitions, pauses, calls,
                hosts, audit, limits, new EgressCheck(settings.privateEgress()), metricsArchive, patches.applier(), placement, quotas);
        Templates templates = Templates.start(jdbi, buildRepository, templateRepository, sources, sandboxes, snapshots,
                snapshotRepository, audit, hosts, limits, settings.buildWorkers(), images, freed);
        InactivityReaper reaper = new InactivityReaper(sandboxRepository, pauses, calls);
        HistoryPruner pruner = new HistoryPruner(sandboxRepository, settings.history());
        Reconciler reconciler = new Reconciler(hosts, sandboxRepository);
        hosts.onRegistered((host, client) -> {
            reconciler.reconcile(host, client);
            cleanups.runPending(host, client);
            collector.collectOnRegistration(host, client);
        });
        Requests requests = new Requests(json);
        Authenticator authenticator = new Authenticator(keys, new RateLimiter(capacity.requestsPerSec(), capacity.burst()));
        PortRoutes ports = new PortRoutes(sandboxes, sandboxRepository, calls, authenticator,
                settings.portDomain());
        HttpApi http = HttpApi.create(json, authenticator, ports, routes -> {
            new SandboxRoutes(sandboxes, pauses, requests).register(routes);
            new SnapshotRoutes(snapshots, new Forks(snapshots, sandboxes, audit), sandboxes, requests).register(routes);
            new FileRoutes(sandboxes, requests).register(routes);
            new ProcessRoutes(new ProcessService(sandboxes), calls, authenticator, requests, json).register(routes);
            new TemplateRoutes(templates.service(), requests, json).register(routes);
            new PatchRoutes(patches, requests).register(routes);
            new MetricsRoutes(new SandboxMetricsQuery(sandboxes, metricsRepository, hosts)).register(routes);
            ports.register(routes);
            new TeamRoutes(teams, keys, audit, requests, quotas, new TeamDeletion(jdbi, cleanups)).register(routes);
            new HostRoutes(hostRepository, hosts, pauses, audit, requests).register(routes);
            new JoinRoutes(joinTokens, authority, teams, audit, requests).register(routes);
            new AuditRoutes(audit).register(routes);
        }, new PlatformRoutes(database, hosts, metrics), settings.transport()).start(settings.bindHost(), settings.port());
        reconciler.start(RECONCILE_MILLIS);
        hosts.startSweeping(SWEEP_PERIOD);
        reaper.start();
        pruner.start();
        storage.ifPresent(store -> store.start(jdbi, snapshotRepository, sandboxRepository, hosts));
        return new AmberServer(replica, hosts, hostRepository, new HostJoinService(joinTokens, authority), http,
                reconciler, reaper, pruner, pauses, templates, storage);
    }

    /** Where hosts register. */
    public HostDirectory hosts() {
        return hosts;
    }

    /** The HostJoin service, for the link port: new hosts trade a join token for their identity. */
    public BindableService join() {
        return join;
    }

    /**
     * The id of the platform host {@code name} that runs in this process (`amber up`): recorded without
     * a join token, as its certificate is issued directly.
     */
    public String enrollLocalHost(String name) {
        return Ids.HOST.format(hostRepository.ensure(name));
    }

    public HttpApi http() {
        return http;
    }

    public int port() {
        return http.port();
    }

    /** Pauses the running sandboxes of host {@code hostId} (wire form), which is about to shut down. */
    public int pauseSandboxesOn(String hostId) {
        return Ids.HOST.parse(hostId).map(pauses::pauseAllOn).orElse(0);
    }

    @Override
    public void close() {
        templates.close();
        reaper.close(); // first: an auto-pause in flight needs its host
        reconciler.close();
        pruner.close();
        http.close();
        storage.ifPresent(ObjectStorage::close);
        hosts.close();
        replica.close(); // last: what this process leaves in flight is for the other replicas to settle from now
    }
}
