package dev.amber.server.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.SignalRequest;
import dev.amber.api.sandbox.StreamFrame;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostProcesses;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.http.WebSocketData;
import dev.amber.server.sandbox.CallsInFlight;
import dev.amber.server.sandbox.ExecCalls;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * {@code /v1/sandboxes/{id}/exec/stream}, {@code /pty} and {@code /processes…}: processes that
 * stream, terminals, re-attaching, signals. A WebSocket's handshake is checked (key, sandbox, pid,
 * terminal size) before it is accepted, so those failures are ordinary HTTP errors; once open, a
 * failure is an {@code error} message and a close. An open socket counts as activity on the sandbox.
 */
public final class ProcessRoutes {

    private static final String SOCKET = "amber.process-socket";
    private static final String DEADLINE = "amber.process-deadline";
    /** A terminal or stream may stay quiet this long (Jetty's default is much shorter). */
    private static final Duration IDLE_LIMIT = Duration.ofHours(24);
    private static final long PING_SECONDS = 30;

    private enum Kind { EXEC, TERMINAL, ATTACH }

    private final ProcessService service;
    private final CallsInFlight calls;
    private final Authenticator authenticator;
    private final Requests requests;
    private final ObjectMapper json;

    public ProcessRoutes(ProcessService service, CallsInFlight calls, Authenticator authenticator, Requests requests,
                         ObjectMapper json) {
        this.service = requireNonNull(service, "service");
        this.calls = requireNonNull(calls, "calls");
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.requests = requireNonNull(requests, "requests");
        this.json = requireNonNull(json, "json");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/sandboxes/{id}/processes", ctx -> ctx.json(new Page<>(
                service.list(Requests.caller(ctx), ctx.pathParam("id")), null)));
        routes.post("/v1/sandboxes/{id}/processes/{pid}/signal", ctx -> ctx.json(service.signal(Requests.caller(ctx),
                ctx.pathParam("id"), ctx.pathParam("pid"), requests.body(ctx, SignalRequest.class).signal())));
        routes.webSocket("/v1/sandboxes/{id}/exec/stream", ctx -> accept(ctx, Kind.EXEC), this::configure);
        routes.webSocket("/v1/sandboxes/{id}/pty", ctx -> accept(ctx, Kind.TERMINAL), this::configure);
        routes.webSocket("/v1/sandboxes/{id}/processes/{pid}/stream", ctx -> accept(ctx, Kind.ATTACH), this::configure);
    }

    /** Before the handshake is accepted: the caller, the sandbox, and (but for exec) the process. */
    private void accept(Context ctx, Kind kind) throws HostException {
        Caller caller = authenticator.authenticate(ctx.header("X-API-Key"), ctx.header("Authorization"));
        String id = ctx.pathParam("id");
        HostProcesses host = service.host(caller, id);
        Duration deadline = ExecCalls.deadline(optionalInt(ctx, "deadlineSec"));
        ProcessSocket.Opener opener = switch (kind) {
            case EXEC -> null;
            case TERMINAL -> {
                ProcessService.Terminal terminal = new ProcessService.Terminal(Requests.intQuery(ctx, "rows", 24),
                        Requests.intQuery(ctx, "cols", 80), ctx.queryParam("user"), ctx.queryParam("cwd"),
                        ctx.queryParam("tag"), Requests.booleanQuery(ctx, "background"), deadline);
                yield () -> service.terminal(host, id, terminal);
            }
            case ATTACH -> {
                long pid = service.trackedPid(host, id, ctx.pathParam("pid"));
                yield () -> service.attach(host, id, pid, deadline);
            }
        };
        ctx.attribute(SOCKET, new ProcessSocket(host, id, calls.begin(id), json, opener));
        ctx.attribute(DEADLINE, deadline);
    }

    private void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(IDLE_LIMIT);
            ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS); // proxies keep a quiet terminal open
            socket(ctx).connected(ctx);
        });
        ws.onMessage(ctx -> handle(ctx, socket -> {
            if (socket.awaitsStart()) {
                ExecRequest start = requests.parse(ctx.message(), ExecRequest.class);
                Duration deadline = ctx.attribute(DEADLINE);
                ExecCalls.forStream(start, deadline); // refused here, before anything starts, when it is bad
                socket.open(() -> service.start(socket.host(), socket.sandboxId(), start, deadline));
            } else {
                socket.control(requests.parse(ctx.message(), StreamFrame.class));
            }
        }));
        ws.onBinaryMessage(ctx -> handle(ctx, socket -> socket.stdin(WebSocketData.bytes(ctx.data()))));
        ws.onClose(ctx -> socket(ctx).close());
        ws.onError(ctx -> socket(ctx).close());
    }

    @FunctionalInterface
    private interface SocketAction {
        void run(ProcessSocket socket) throws HostException;
    }

    private static void handle(WsContext ctx, SocketAction action) {
        ProcessSocket socket = socket(ctx);
        try {
            action.run(socket);
        } catch (ApiException | HostException e) {
            socket.fail(e);
        }
    }

    private static ProcessSocket socket(WsContext ctx) {
        return ctx.attribute(SOCKET);
    }

    private static Integer optionalInt(Context ctx, String name) {
        return ctx.queryParam(name) == null ? null : Requests.intQuery(ctx, name, 0);
    }
}
