package dev.amber.server.host;

import dev.amber.host.grpc.HostLink;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A control plane whose hosts are silent after 2 s, its registry on loopback, and a {@link StubHost}
 * whose links register there: the fixture of tests of host states without VMs.
 */
public final class StubCluster implements AutoCloseable {

    private final ServerFixture server;
    private final LinkCredentials serverLink;
    private final StubHost host;
    private volatile HostRegistryServer registry;
    private final int registryPort;

    private StubCluster() throws IOException {
        LinkCredentials[] link = new LinkCredentials[1];
        server = ServerFixture.start((id, address) -> GrpcHostClient.connect(address, link[0], id),
                ServerSettings.forTests().withHostTimeout(Duration.ofSeconds(2)));
        serverLink = server.authority().serverCredentials();
        link[0] = serverLink;
        registry = startRegistry(0);
        registryPort = registry.port();
        host = new StubHost();
    }

    public static StubCluster start() throws IOException {
        return new StubCluster();
    }

    public ServerFixture server() {
        return server;
    }

    public StubHost host() {
        return host;
    }

    /**
     * A host link registered as platform host {@code name} (recorded, and its certificate issued,
     * as `amber up` does for its own host), reporting every 200 ms.
     */
    public HostLink link(String name) throws IOException {
        String hostId = server.server().enrollLocalHost(name);
        return host.link(registryPort, name, server.authority().hostCredentials(hostId));
    }

    /** Stops the registry, as a server that went away: hosts' calls fail. */
    public void stopRegistry() {
        registry.close();
    }

    /** Serves the registry again on the same port. */
    public void restartRegistry() throws IOException {
        registry = startRegistry(registryPort);
    }

    private HostRegistryServer startRegistry(int port) throws IOException {
        return HostRegistryServer.start(new InetSocketAddress("127.0.0.1", port), serverLink, server.server().hosts(),
                server.server().join());
    }

    @Override
    public void close() throws IOException {
        host.close();
        registry.close();
        server.close();
    }
}
