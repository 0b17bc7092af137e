package dev.amber.server.http;

import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What stands before the API's routes for requests addressed to a sandbox rather than to Amber:
 * HTTP to its ports' host names, and WebSocket handshakes for its servers (which
 * {@link HandshakeFilter} steers to {@link #WEBSOCKETS}).
 */
public interface FrontDoor {

    /** The internal path every WebSocket handshake for a sandbox is routed to. */
    String WEBSOCKETS = "/internal/sandbox-websocket";

    /** Handles the request and skips every other handler if it is for a sandbox; does nothing otherwise. */
    void handle(Context ctx) throws Exception;

    /** Whether a WebSocket handshake is meant for a sandbox's server rather than for Amber. */
    boolean takesHandshake(HttpServletRequest request);

    /** Before a handshake for a sandbox is accepted: authorise it and connect the sandbox's side, or refuse. */
    void acceptWebSocket(Context ctx) throws Exception;

    /** The relay of accepted WebSockets. */
    void relayWebSockets(WsConfig ws);
}
