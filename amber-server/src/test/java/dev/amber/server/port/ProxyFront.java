package dev.amber.server.port;

import dev.amber.api.error.ApiException;
import dev.amber.server.host.HostPorts.PortConnection;
import dev.amber.server.http.ErrorResponses;
import dev.amber.server.http.Json;
import dev.amber.server.http.RouteTable;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Amber's side of the port proxy on a real Jetty server (through Javalin, as in production), with
 * the routes reduced to the proxying: {@code /app/…} goes to {@link PortProxy}, a WebSocket
 * handshake on {@code /ws/…} to {@link SandboxWebSocket} and {@link WebSocketRelay}; both reach
 * {@link SandboxPort}. Errors map to responses as in production. A test registers it as an
 * extension and gets a new server and sandbox port for each test.
 */
final class ProxyFront implements BeforeEachCallback, AfterEachCallback {

    /** The path prefix the client uses in front of the sandbox's paths. */
    static final String PREFIX = "/app";
    /** A header meant for Amber that the sandbox never sees. */
    static final String PRIVATE_HEADER = "X-Api-Key";

    private SandboxPort sandbox;
    private Javalin app;
    private final PortProxy proxy = new PortProxy();
    private final WebSocketRelay relay = new WebSocketRelay();
    private final AtomicInteger openCalls = new AtomicInteger();

    /** A new sandbox port and server for each test. */
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        sandbox = new SandboxPort();
        app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.modifyWebSocketServletFactory(factory -> { // as HttpApi sets them
                factory.setMaxTextMessageSize(SandboxWebSocket.MAX_MESSAGE_BYTES);
                factory.setMaxBinaryMessageSize(SandboxWebSocket.MAX_MESSAGE_BYTES);
            });
            config.routes.exception(ApiException.class, ErrorResponses::apiError);
            config.routes.exception(Exception.class, ErrorResponses::unexpected);
            RouteTable routes = new RouteTable(config.routes);
            routes.any(PREFIX, this::proxy); // Javalin ignores a trailing slash: "/app/" lands here
            routes.any(PREFIX + "/<path>", this::proxy);
            routes.webSocket("/ws/<path>", this::acceptWebSocket, relay::configure);
        }).start("127.0.0.1", 0);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        app.stop();
        sandbox.close();
    }

    /** The sandbox's server, played by the test. */
    SandboxPort sandbox() {
        return sandbox;
    }

    URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + app.port() + path);
    }

    /** WebSockets that have not ended: each keeps a sandbox from idling in production. */
    int openCalls() {
        return openCalls.get();
    }

    /** Waits up to 10 s for every WebSocket's call to end (the relay ends it on its own thread). */
    void awaitNoOpenCalls() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (openCalls.get() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(openCalls.get() + " WebSocket calls still open after 10 s");
            }
            Thread.sleep(20);
        }
    }

    private void proxy(Context ctx) throws Exception {
        try (PortConnection connection = sandbox.connect()) {
            proxy.forward(ctx, connection, forward(ctx), "port 8000 of sb-test");
        }
    }

    private void acceptWebSocket(Context ctx) throws Exception {
        openCalls.incrementAndGet();
        SandboxWebSocket socket = SandboxWebSocket.open(sandbox.connect(), ctx, forward(ctx), openCalls::decrementAndGet);
        if (socket.protocol() != null) {
            ctx.header("Sec-WebSocket-Protocol", socket.protocol());
        }
        ctx.attribute(WebSocketRelay.SANDBOX_SIDE, socket);
    }

    private static PortProxy.Forward forward(Context ctx) {
        String query = ctx.queryString();
        String path = "/" + ctx.pathParamMap().getOrDefault("path", "");
        return new PortProxy.Forward(path + (query == null ? "" : "?" + query), "localhost:8000",
                PREFIX, Set.of(PRIVATE_HEADER.toLowerCase(Locale.ROOT)));
    }
}
