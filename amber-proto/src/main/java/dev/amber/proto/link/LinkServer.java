package dev.amber.proto.link;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One end of the link as a server: a gRPC service on its own port that refuses calls without the
 * token. Handlers run on virtual threads, so they may block on a guest or a disk without starving
 * other calls.
 */
public final class LinkServer implements AutoCloseable {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Server server;
    private final ExecutorService executor;

    private LinkServer(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code bind} (port 0: any free port, see {@link #port()}). */
    public static LinkServer start(InetSocketAddress bind, String token, BindableService service) throws IOException {
        requireNonNull(bind, "bind");
        requireNonNull(service, "service");
        BearerToken bearer = new BearerToken(token);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Server server = NettyServerBuilder.forAddress(bind)
                .executor(executor)
                .maxInboundMessageSize(LinkLimits.MAX_REQUEST_BYTES)
                .addService(ServerInterceptors.intercept(service, bearer.require()))
                .build();
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
