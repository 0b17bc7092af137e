package dev.amber.cli.up;

import dev.amber.host.Layout;
import dev.amber.server.AmberServer;
import dev.amber.server.db.Database;
import dev.amber.server.db.EmbeddedDatabase;
import dev.amber.server.db.PostgresPaths;
import dev.amber.server.host.GrpcHostClient;
import dev.amber.server.host.HostRegistryServer;
import dev.amber.server.secret.SecretFile;

import java.io.IOException;
import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * The control plane of a deployment: PostgreSQL (embedded unless configured), the API server with
 * its reconciler, and the link port where hosts register. `amber server` runs it alone; `amber up`
 * beside a local host.
 */
public final class ControlPlane implements AutoCloseable {

    private final Resources opened;
    private final AmberServer server;
    private final HostRegistryServer registry;
    private final String token;

    private ControlPlane(Resources opened, AmberServer server, HostRegistryServer registry, String token) {
        this.opened = opened;
        this.server = server;
        this.registry = registry;
        this.token = token;
    }

    /** Starts it with its link port at {@code linkAddress} (port 0: any free one). */
    public static ControlPlane start(Layout layout, DeploymentSettings settings, InetSocketAddress linkAddress)
            throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(settings, "settings");
        requireNonNull(linkAddress, "linkAddress");
        Resources opened = new Resources();
        try {
            String token = new SecretFile(layout.clusterToken()).loadOrCreate();
            Database database = database(layout, settings, opened);
            AmberServer server = opened.add(AmberServer.start(database, address -> GrpcHostClient.connect(address, token),
                    layout.adminKey(), settings.server()));
            HostRegistryServer registry = opened.add(HostRegistryServer.start(linkAddress, token, server.hosts()));
            return new ControlPlane(opened, server, registry, token);
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

    /** What a host in this process presents to the link. */
    String linkToken() {
        return token;
    }

    /** Stops the servers and the database, newest first. */
    @Override
    public void close() {
        opened.close();
    }
}
