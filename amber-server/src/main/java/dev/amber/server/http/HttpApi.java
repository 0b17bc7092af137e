package dev.amber.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.error.ApiException;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.host.HostException;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.websocket.WsHandlerType;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** The HTTP server: JSON, virtual threads, API-key auth on /v1, and error mapping in one place. */
public final class HttpApi implements AutoCloseable {

    /** Largest WebSocket message taken from a client. */
    private static final int MAX_WEBSOCKET_MESSAGE = 16 * 1024 * 1024;

    private final Javalin app;
    private final List<RouteTable.Route> routes;

    private HttpApi(Javalin app, List<RouteTable.Route> routes) {
        this.app = app;
        this.routes = routes;
    }

    /**
     * Builds the server. {@code frontDoor} sees every request first (requests to a sandbox's own host
     * name are taken there); {@code apiRoutes} registers the /v1 routes (which all require an API
     * key); {@code platform} the unauthenticated ones. With {@link Transport.Tls} the port speaks
     * HTTPS only; its PEM files are read here, so a bad certificate stops the server before it listens.
     */
    public static HttpApi create(ObjectMapper json, Authenticator authenticator, FrontDoor frontDoor,
                                 Consumer<RouteTable> apiRoutes, PlatformEndpoints platform, Transport transport)
            throws IOException {
        requireNonNull(authenticator, "authenticator");
        Optional<HttpsConnector> https = switch (requireNonNull(transport, "transport")) {
            case Transport.Plain plain -> Optional.empty();
            case Transport.Tls tls -> Optional.of(HttpsConnector.load(tls));
        };
        RouteTable[] table = new RouteTable[1];
        Javalin app = Javalin.create(config -> {
            // Javalin adds its plain connector only when none is given; host and port are known at start
            https.ifPresent(connector -> config.jetty.addConnector((server, http) ->
                    connector.connector(server, http, config.jetty.host, config.jetty.port)));
            config.jsonMapper(new JavalinJackson(json, false));
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 1024 * 1024;
            config.jetty.modifyServletContextHandler(context -> context.addFilter(new FilterHolder(
                    new HandshakeFilter(frontDoor)), "/*", EnumSet.of(DispatcherType.REQUEST)));
            config.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setMaxTextMessageSize(MAX_WEBSOCKET_MESSAGE);
                factory.setMaxBinaryMessageSize(MAX_WEBSOCKET_MESSAGE);
            });
            config.routes.before(frontDoor::handle);
            config.routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, FrontDoor.WEBSOCKETS,
                    frontDoor::acceptWebSocket);
            config.routes.addWsHandler(WsHandlerType.WEBSOCKET, FrontDoor.WEBSOCKETS, frontDoor::relayWebSockets);
            config.routes.before("/v1/*", ctx -> ctx.attribute(Requests.CALLER,
                    authenticator.authenticate(ctx.header("X-API-Key"), ctx.header("Authorization"))));
            config.routes.exception(ApiException.class, ErrorResponses::apiError);
            config.routes.exception(HostException.class, ErrorResponses::hostError);
            config.routes.exception(HttpResponseException.class, ErrorResponses::frameworkError);
            config.routes.exception(Exception.class, ErrorResponses::unexpected);
            config.requestLogger.http(platform::recordRequest);
            platform.register(config.routes);
            table[0] = new RouteTable(config.routes);
            apiRoutes.accept(table[0]);
        });
        return new HttpApi(app, table[0].registered());
    }

    public HttpApi start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** The /v1 routes, as registered: checked against openapi.yaml by a test. */
    public List<RouteTable.Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
    }
}
