package dev.amber.server.port;

import dev.amber.server.http.WebSocketData;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket between a client and a sandbox's server, relayed message by message: the client's
 * side is Jetty's (through Javalin), the sandbox's a {@link SandboxWebSocket} opened before the
 * client's handshake was accepted. Pings are answered on each side; closes pass through with their
 * code and reason.
 */
final class WebSocketRelay {

    /** Where the accepted handshake leaves the sandbox's side for the relay. */
    static final String SANDBOX_SIDE = "amber.sandbox-websocket";
    private static final int NORMAL = 1000;
    private static final int SERVER_GONE = 1001;
    /** A relayed WebSocket may stay quiet this long (Jetty's default is much shorter). */
    private static final Duration IDLE_LIMIT = Duration.ofHours(1);

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            SandboxWebSocket sandbox = sandbox(ctx);
            ctx.session.setIdleTimeout(IDLE_LIMIT);
            Thread.ofVirtual().name("websocket-from-sandbox").start(() -> fromSandbox(sandbox, ctx));
        });
        ws.onMessage(ctx -> sandbox(ctx).send(SandboxWebSocket.TEXT, ctx.message().getBytes(StandardCharsets.UTF_8)));
        ws.onBinaryMessage(ctx -> sandbox(ctx).send(SandboxWebSocket.BINARY, WebSocketData.bytes(ctx.data())));
        ws.onClose(ctx -> sandbox(ctx).close(ctx.status(), ctx.reason()));
        ws.onError(ctx -> sandbox(ctx).close());
    }

    private static SandboxWebSocket sandbox(WsContext ctx) {
        return ctx.attribute(SANDBOX_SIDE);
    }

    private static void fromSandbox(SandboxWebSocket sandbox, WsContext client) {
        try {
            SandboxWebSocket.Frame frame;
            while ((frame = sandbox.next()) != null) {
                switch (frame.opcode()) {
                    case SandboxWebSocket.TEXT -> client.send(new String(frame.payload(), StandardCharsets.UTF_8));
                    case SandboxWebSocket.BINARY -> client.send(ByteBuffer.wrap(frame.payload()));
                    case SandboxWebSocket.PING -> sandbox.send(SandboxWebSocket.PONG, frame.payload());
                    case SandboxWebSocket.CLOSE -> {
                        closeClient(client, frame.payload());
                        return;
                    }
                    default -> { } // a pong, or an opcode no one defined: nothing to pass on
                }
            }
            client.closeSession(SERVER_GONE, "the sandbox's server closed the connection");
        } catch (IOException e) {
            client.closeSession(SERVER_GONE, "the connection to the sandbox failed: " + e.getMessage());
        } finally {
            sandbox.close();
        }
    }

    /** The sandbox's close code and reason; none given (or one that may not be sent) is a normal close. */
    private static void closeClient(WsContext client, byte[] payload) {
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : NORMAL;
        String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        client.closeSession(code == 1005 || code == 1006 || code == 1015 ? NORMAL : code, reason);
    }
}
