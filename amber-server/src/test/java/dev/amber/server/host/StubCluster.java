package dev.amber.server.host;

import dev.amber.host.grpc.HostLink;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * A control plane whose hosts are silent after 2 s, its registry on loopback, and a {@link StubHost}
 * whose links register there: the fixture of tests of host states without VMs.
 */
public final class StubCluster implements AutoCloseable {

    private final String token = "stub-cluster-" + UUID.randomUUID();
    private final ServerFixture server;
    private final StubHost host;
    private volatile HostRegistryServer registry;
    private final int registryPort;

    private StubCluster() throws IOException {
        server = ServerFixture.start(address -> GrpcHostClient.connect(address, token),
                ServerSettings.forTests().withHostTimeout(Duration.ofSeconds(2)));
        registry = HostRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), token, server.server().hosts());
        registryPort = registry.port();
        host = StubHost.start(token);
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

    /** A host link registered as {@code name}, reporting every 200 ms. */
    public HostLink link(String name) throws IOException {
        return host.link(registryPort, name);
    }

    /** Stops the registry, as a server that went away: hosts' calls fail. */
    public void stopRegistry() {
        registry.close();
    }

    /** Serves the registry again on the same port. */
    public void restartRegistry() throws IOException {
        registry = HostRegistryServer.start(new InetSocketAddress("127.0.0.1", registryPort), token,
                server.server().hosts());
    }

    @Override
    public void close() throws IOException {
        host.close();
        registry.close();
        server.close();
    }
}
