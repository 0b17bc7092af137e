package dev.amber.cli.up;

import dev.amber.host.Layout;
import dev.amber.host.grpc.HostAgentServer;
import dev.amber.host.grpc.HostRegistration;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.server.AmberServer;
import dev.amber.server.cluster.ClusterAuthority;
import dev.amber.server.db.Database;
import dev.amber.server.db.EmbeddedDatabase;
import dev.amber.server.db.PostgresPaths;
import dev.amber.server.host.GrpcHostClient;
import dev.amber.server.host.HostRegistryServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;

import static java.util.Objects.requireNonNull;

/**
 * Everything `amber up` runs in one process: PostgreSQL (embedded unless configured), the control
 * plane, and one local host that registers with it over the same mutual-TLS link a remote host uses;
 * its certificate comes straight from the cluster CA, as it needs no join token.
 * Closing stops it all in reverse order; the host's VMs are stopped, never leaked.
 */
public final class LocalDeployment implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.up");
    private static final String LOOPBACK = "127.0.0.1";
    private static final String LOCAL_HOST = "local";

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
            ClusterAuthority authority = ClusterAuthority.loadOrCreate(layout.clusterCa());
            LinkCredentials serverLink = authority.serverCredentials();
            Database database = database(layout, settings, opened);
            AmberServer server = AmberServer.start(database, authority,
                    (id, address) -> GrpcHostClient.connect(address, serverLink, id), layout.adminKey(), settings.server());
            opened.push(server);
            HostRegistryServer registry = HostRegistryServer.start(new InetSocketAddress(LOOPBACK, settings.registryPort()),
                    serverLink, server.hosts(), server.join());
            opened.push(registry);
            SandboxRuntime runtime = SandboxRuntime.start(layout,
                    RuntimeOptions.defaults().withPrestartedMachines(settings.prestartedMachines()));
            opened.push(runtime);
            LinkCredentials hostLink = authority.hostCredentials(server.enrollLocalHost(LOCAL_HOST));
            HostAgentServer agent = HostAgentServer.start(new InetSocketAddress(LOOPBACK, 0), hostLink, runtime);
            opened.push(agent);
            String hostId;
            try (HostRegistration registration = HostRegistration.connect(LOOPBACK + ":" + registry.port(), hostLink)) {
                hostId = registration.register(LOCAL_HOST, LOOPBACK + ":" + agent.port(), runtime);
            }
            return new LocalDeployment(opened, server, runtime, hostId);
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
