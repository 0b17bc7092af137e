package dev.amber.server.host;

import dev.amber.proto.link.LinkServer;

import java.io.IOException;
import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/** Where hosts register: the HostRegistry gRPC service on its own port, behind the registration token. */
public final class HostRegistryServer implements AutoCloseable {

    private final LinkServer server;

    private HostRegistryServer(LinkServer server) {
        this.server = server;
    }

    /** Listens on {@code bind} (port 0: any free port, see {@link #port()}); hosts must present {@code token}. */
    public static HostRegistryServer start(InetSocketAddress bind, String token, HostRegistrations registrations)
            throws IOException {
        requireNonNull(registrations, "registrations");
        return new HostRegistryServer(LinkServer.start(bind, token, new HostRegistryService(registrations)));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
