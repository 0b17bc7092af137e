package dev.amber.server.host;

import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.LinkServer;
import io.grpc.BindableService;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Where hosts join and register: the control plane's link port. Register needs a host certificate of
 * the cluster (it says which host calls); {@code join} (HostJoin) is open to callers without one.
 */
public final class HostRegistryServer implements AutoCloseable {

    private final LinkServer server;

    private HostRegistryServer(LinkServer server) {
        this.server = server;
    }

    /** Listens on {@code bind} (port 0: any free port, see {@link #port()}) as {@code server} (the amber-server identity). */
    public static HostRegistryServer start(InetSocketAddress bind, LinkCredentials server, HostRegistrations registrations,
                                           BindableService join) throws IOException {
        requireNonNull(registrations, "registrations");
        requireNonNull(join, "join");
        return new HostRegistryServer(LinkServer.start(bind, server, server.anyHost(),
                List.of(new HostRegistryService(registrations)), List.of(join)));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
