package dev.amber.host.grpc;

import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.LinkServer;
import dev.amber.proto.link.PeerCheck;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * This host's gRPC endpoint for the control plane: {@link HostAgentService} behind mutual TLS, which
 * only a caller with the cluster's {@code amber-server} certificate gets through.
 */
public final class HostAgentServer implements AutoCloseable {

    private final LinkServer server;

    private HostAgentServer(LinkServer server) {
        this.server = server;
    }

    /** Listens on {@code bind} (port 0: any free port, see {@link #port()}) as this host's {@code identity}. */
    public static HostAgentServer start(InetSocketAddress bind, LinkCredentials identity, SandboxRuntime runtime)
            throws IOException {
        requireNonNull(runtime, "runtime");
        return new HostAgentServer(LinkServer.start(bind, identity, identity.peer(PeerCheck.SERVER),
                List.of(new HostAgentService(runtime)), List.of()));
    }

    public int port() {
        return server.port();
    }

    /** Stops serving; calls still running get a few seconds. The sandboxes keep running. */
    @Override
    public void close() {
        server.close();
    }
}
