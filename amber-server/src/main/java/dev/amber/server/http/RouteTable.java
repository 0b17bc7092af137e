package dev.amber.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsHandlerType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Registers routes with Javalin and remembers them, so the OpenAPI document can be checked against them. */
public final class RouteTable {

    /** One method and path, in OpenAPI's {@code {param}} syntax (Javalin's {@code <param>}, which spans slashes, too). */
    public record Route(HandlerType method, String path) {}

    private final RoutesConfig routes;
    private final List<Route> registered = new ArrayList<>();

    public RouteTable(RoutesConfig routes) {
        this.routes = routes;
    }

    public void get(String path, Handler handler) {
        add(HandlerType.GET, path, handler);
    }

    public void post(String path, Handler handler) {
        add(HandlerType.POST, path, handler);
    }

    public void put(String path, Handler handler) {
        add(HandlerType.PUT, path, handler);
    }

    public void patch(String path, Handler handler) {
        add(HandlerType.PATCH, path, handler);
    }

    public void delete(String path, Handler handler) {
        add(HandlerType.DELETE, path, handler);
    }

    /** Every method a proxied request may use, each handled by {@code handler}. */
    public void any(String path, Handler handler) {
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS)) {
            add(method, path, handler);
        }
    }

    /**
     * A WebSocket endpoint (documented as a GET): {@code beforeUpgrade} authorises the handshake and
     * may refuse it with an ordinary error response; {@code ws} handles the accepted socket.
     */
    public void webSocket(String path, Handler beforeUpgrade, Consumer<WsConfig> ws) {
        routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, path, beforeUpgrade);
        routes.addWsHandler(WsHandlerType.WEBSOCKET, path, ws);
        registered.add(new Route(HandlerType.GET, path.replace('<', '{').replace('>', '}')));
    }

    public List<Route> registered() {
        return List.copyOf(registered);
    }

    private void add(HandlerType method, String path, Handler handler) {
        routes.addHttpHandler(method, path, handler);
        registered.add(new Route(method, path.replace('<', '{').replace('>', '}')));
    }
}
