package dev.amber.proto.link;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One end of the link as a server: gRPC services on their own port behind mutual TLS. A caller's
 * certificate must chain to the cluster CA and carry a name its {@link PeerCheck} accepts; services
 * read that name with {@link PeerIdentity#current()}. Handlers run on virtual threads, so they may
 * block on a guest or a disk without starving other calls.
 */
public final class LinkServer implements AutoCloseable {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Server server;
    private final ExecutorService executor;

    private LinkServer(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code bind} (port 0: any free port, see {@link #port()}) as {@code credentials} say.
     * Calls to {@code authenticated} services need a caller certificate that {@code callers} accepts;
     * {@code open} ones (a host joining, which has no certificate yet) take callers without one. With
     * no open service a caller without a certificate fails the handshake already.
     */
    public static LinkServer start(InetSocketAddress bind, LinkCredentials credentials, PeerCheck callers,
                                   List<BindableService> authenticated, List<BindableService> open) throws IOException {
        requireNonNull(bind, "bind");
        requireNonNull(credentials, "credentials");
        requireNonNull(callers, "callers");
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(bind)
                .sslContext(LinkTls.server(credentials, callers, open.isEmpty() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL))
                .executor(executor)
                .maxInboundMessageSize(LinkLimits.MAX_REQUEST_BYTES);
        authenticated.forEach(service -> builder.addService(
                ServerInterceptors.intercept(service, PeerIdentity.required(), PeerIdentity.capture())));
        open.forEach(service -> builder.addService(ServerInterceptors.intercept(service, PeerIdentity.capture())));
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        return new LinkServer(server, executor);
    }

    /** The port actually bound. */
    public int port() {
        return server.getPort();
    }

    /** Lets calls in flight finish for a few seconds, then cancels the rest. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow().awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
    }
}
