package dev.amber.cli.up;

import dev.amber.host.Layout;
import dev.amber.host.grpc.HostAgentServer;
import dev.amber.host.grpc.HostLink;
import dev.amber.host.grpc.HostRegistration;
import dev.amber.host.grpc.HostReport;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.server.AmberServer;
import dev.amber.server.db.Database;
import dev.amber.server.db.EmbeddedDatabase;
import dev.amber.server.db.PostgresPaths;
import dev.amber.server.host.GrpcHostClient;
import dev.amber.server.host.HostRegistryServer;
import dev.amber.server.secret.SecretFile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;

import static java.util.Objects.requireNonNull;

/**
 * Everything `amber up` runs in one process: PostgreSQL (embedded unless configured), the control
 * plane, and one local host that registers with it over the same gRPC link a remote host uses (and
 * keeps sending heartbeats over it).
 * Closing stops it all in reverse order; the host's VMs are stopped, never leaked.
 */
public final class LocalDeployment implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.up");
    private static final String LOOPBACK = "127.0.0.1";

    private final Deque<AutoCloseable> opened;
    private final AmberServer server;
    private final SandboxRuntime runtime;
    private final String hostId;

    private LocalDeployment(Deque<AutoCloseable> opened, AmberServer server, SandboxRuntime runtime, String hostId) {
        this.opened = opened;
        this.server = server;
        this.runtime = runtime;
        this.hostId = hostId;
    }

    public static LocalDeployment start(Layout layout, DeploymentSettings settings) throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(settings, "settings");
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            String token = new SecretFile(layout.clusterToken()).loadOrCreate();
            Database database = database(layout, settings, opened);
            AmberServer server = AmberServer.start(database, address -> GrpcHostClient.connect(address, token),
                    layout.adminKey(), settings.server());
            opened.push(server);
            HostRegistryServer registry = HostRegistryServer.start(new InetSocketAddress(LOOPBACK, settings.registryPort()),
                    token, server.hosts());
            opened.push(registry);
            SandboxRuntime runtime = SandboxRuntime.start(layout,
                    RuntimeOptions.defaults().withPrestartedMachines(settings.prestartedMachines()));
            opened.push(runtime);
            HostAgentServer agent = HostAgentServer.start(new InetSocketAddress(LOOPBACK, 0), token, runtime);
            opened.push(agent);
            HostLink link = HostLink.start(HostRegistration.connect(LOOPBACK + ":" + registry.port(), token),
                    HostReport.of(runtime), "local", LOOPBACK + ":" + agent.port(), HostLink.Timing.defaults());
            opened.push(link);
            return new LocalDeployment(opened, server, runtime, link.hostId());
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static Database database(Layout layout, DeploymentSettings settings, Deque<AutoCloseable> opened)
            throws IOException {
        if (!settings.embeddedDatabase()) {
            Database database = Database.connect(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword());
            opened.push(database);
            return database;
        }
        EmbeddedDatabase postgres = EmbeddedDatabase.start(new PostgresPaths(layout.postgres(), layout.postgresSocket(),
                layout.postgresBinaries(), layout.postgresPassword()));
        opened.push(postgres);
        Database database = Database.connect(postgres.jdbcUrl(), EmbeddedDatabase.USER, postgres.password());
        opened.push(database);
        return database;
    }

    public int httpPort() {
        return server.port();
    }

    public SandboxRuntime runtime() {
        return runtime;
    }

    /**
     * Pauses the running sandboxes (after the next start, a resume brings every process back where it was),
     * then stops the host, the servers and the database, newest first.
     */
    @Override
    public void close() {
        int paused = server.pauseSandboxesOn(hostId);
        if (paused > 0) {
            LOG.log(System.Logger.Level.INFO, "paused " + paused + " running sandboxes; resume them after the next start");
        }
        closeAll(opened);
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            AutoCloseable next = opened.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "while stopping " + next.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
