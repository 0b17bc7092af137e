package dev.amber.host.grpc;

import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.link.LinkServer;

import java.io.IOException;
import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/** This host's gRPC endpoint for the control plane: {@link HostAgentService} behind a bearer token. */
public final class HostAgentServer implements AutoCloseable {

    private final LinkServer server;

    private HostAgentServer(LinkServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code bind} (port 0: any free port, see {@link #port()}) and serves only callers
     * presenting {@code token}.
     */
    public static HostAgentServer start(InetSocketAddress bind, String token, SandboxRuntime runtime) throws IOException {
        requireNonNull(runtime, "runtime");
        return new HostAgentServer(LinkServer.start(bind, token, new HostAgentService(runtime)));
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
