package dev.amber.cli.up;

import dev.amber.host.Layout;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.server.AmberServer;
import dev.amber.server.cluster.ClusterAuthority;
import dev.amber.server.cluster.SharedAuthority;
import dev.amber.server.db.Database;
import dev.amber.server.db.EmbeddedDatabase;
import dev.amber.server.db.PostgresPaths;
import dev.amber.server.host.GrpcHostClient;
import dev.amber.server.host.HostRegistryServer;

import java.io.IOException;
import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * The control plane of a deployment: PostgreSQL (embedded unless configured), the API server with
 * its reconciler, the cluster's certificate authority, and the link port where hosts join and
 * register (mutual TLS). `amber server` runs it alone; `amber up` beside a local host.
 */
public final class ControlPlane implements AutoCloseable {

    private final Resources opened;
    private final AmberServer server;
    private final HostRegistryServer registry;
    private final ClusterAuthority authority;

    private ControlPlane(Resources opened, AmberServer server, HostRegistryServer registry, ClusterAuthority authority) {
        this.opened = opened;
        this.server = server;
        this.registry = registry;
        this.authority = authority;
    }

    /** Starts it with its link port at {@code linkAddress} (port 0: any free one). */
    public static ControlPlane start(Layout layout, DeploymentSettings settings, InetSocketAddress linkAddress)
            throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(settings, "settings");
        requireNonNull(linkAddress, "linkAddress");
        Resources opened = new Resources();
        try {
            Database database = database(layout, settings, opened);
            ClusterAuthority authority = SharedAuthority.open(database.jdbi(), layout.clusterCa());
            LinkCredentials serverLink = authority.serverCredentials();
            AmberServer server = opened.add(AmberServer.start(database, authority,
                    (id, address) -> GrpcHostClient.connect(address, serverLink, id), layout.adminKey(), settings.server()));
            HostRegistryServer registry = opened.add(HostRegistryServer.start(linkAddress, serverLink, server.hosts(),
                    server.join()));
            return new ControlPlane(opened, server, registry, authority);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static Database database(Layout layout, DeploymentSettings settings, Resources opened) throws IOException {
        if (!settings.embeddedDatabase()) {
            return opened.add(Database.connect(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword()));
        }
        EmbeddedDatabase postgres = opened.add(EmbeddedDatabase.start(new PostgresPaths(layout.postgres(),
                layout.postgresSocket(), layout.postgresBinaries(), layout.postgresPassword())));
        return opened.add(Database.connect(postgres.jdbcUrl(), EmbeddedDatabase.USER, postgres.password()));
    }

    public AmberServer server() {
        return server;
    }

    public int httpPort() {
        return server.port();
    }

    public int linkPort() {
        return registry.port();
    }

    /**
     * The link identity of platform host {@code name} running in this process (`amber up`): issued
     * straight from the cluster CA, with no join token.
     */
    LinkCredentials enrollLocalHost(String name) {
        return authority.hostCredentials(server.enrollLocalHost(name));
    }

    /** Stops the servers and the database, newest first. */
    @Override
    public void close() {
        opened.close();
    }
}
