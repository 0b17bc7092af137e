package dev.amber.server.port;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.Ids;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostClient;
import dev.amber.server.http.FrontDoor;
import dev.amber.server.http.HandshakeFilter;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.sandbox.CallsInFlight;
import dev.amber.server.sandbox.PortTokens;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.sandbox.SandboxService;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A sandbox's ports over HTTP and WebSocket: {@code /v1/sandboxes/{id}/ports/{port}/…} with an API
 * key, and host names {@code {port}-{id}.{domain}} for browsers. Either way the connection runs
 * through the guest agent, so it works for sandboxes without network too; a paused sandbox is
 * resumed by the request when its autoResume allows (as for any call on it), and an open
 * connection keeps it from being paused for inactivity.
 */
public final class PortRoutes implements FrontDoor {

    private static final String ROOT = "/v1/sandboxes/{id}/ports/{port}";
    /** Where a request by host name carries the token of a sandbox whose ports are not public. */
    private static final String TOKEN_HEADER = "X-Amber-Port-Token";
    private static final Pattern PORT_PATH = Pattern.compile("^(/v1/sandboxes/([^/]+)/ports/([^/]+))(/.*)?$");

    /** A request's way into a sandbox: its host, the port, and what to send. */
    private record Destination(HostClient host, String sandboxId, int port, PortProxy.Forward forward) {}

    private final SandboxService sandboxes;
    private final SandboxRepository records;
    private final CallsInFlight calls;
    private final Authenticator authenticator;
    private final PortHostNames hostNames;
    private final PortProxy proxy = new PortProxy();
    private final WebSocketRelay relay = new WebSocketRelay();

    /** {@code domain}: the name whose subdomains reach this server (AMBER_DOMAIN). */
    public PortRoutes(SandboxService sandboxes, SandboxRepository records, CallsInFlight calls,
                      Authenticator authenticator, String domain) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.records = requireNonNull(records, "records");
        this.calls = requireNonNull(calls, "calls");
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.hostNames = new PortHostNames(domain);
    }

    public void register(RouteTable routes) {
        routes.any(ROOT, this::viaApi); // Javalin ignores a trailing slash: ".../8000/" lands here too
        routes.any(ROOT + "/<path>", this::viaApi);
    }

    private void viaApi(Context ctx) throws IOException {
        forward(ctx, byPath(ctx, Requests.caller(ctx), ctx.req().getRequestURI()));
    }

    /**
     * Runs before every route: a request addressed to a sandbox's host name is proxied there and
     * nothing else runs for it; any other request passes on untouched.
     */
    @Override
    public void handle(Context ctx) throws IOException {
        Optional<Destination> destination = byHostName(ctx, ctx.req().getRequestURI());
        if (destination.isPresent()) {
            ctx.skipRemainingHandlers();
            forward(ctx, destination.get());
        }
    }

    @Override
    public boolean takesHandshake(HttpServletRequest request) {
        return PORT_PATH.matcher(request.getRequestURI()).matches() || hostNames.parse(request.getHeader("Host")).isPresent();
    }

    @Override
    public void acceptWebSocket(Context ctx) throws IOException {
        String uri = ctx.attribute(HandshakeFilter.ORIGINAL_URI);
        if (uri == null) {
            throw ApiException.notFound("no such endpoint: " + ctx.path());
        }
        Optional<Destination> byHost = byHostName(ctx, uri);
        Destination destination = byHost.isPresent() ? byHost.get()
                : byPath(ctx, authenticator.authenticate(ctx.header("X-API-Key"), ctx.header("Authorization")), uri);
        SandboxWebSocket sandbox = SandboxWebSocket.open(
                PortProxy.open(destination.host(), destination.sandboxId(), destination.port()), ctx, destination.forward(),
                calls.begin(destination.sandboxId()));
        if (sandbox.protocol() != null) {
            ctx.header("Sec-WebSocket-Protocol", sandbox.protocol());
        }
        ctx.attribute(WebSocketRelay.SANDBOX_SIDE, sandbox);
    }

    @Override
    public void relayWebSockets(WsConfig ws) {
        relay.configure(ws);
    }

    /** An open connection is activity: the sandbox is not paused for being idle while it lasts. */
    private void forward(Context ctx, Destination destination) throws IOException {
        try (CallsInFlight.Call ignored = calls.begin(destination.sandboxId())) {
            proxy.forward(ctx, destination.host(), destination.sandboxId(), destination.port(), destination.forward());
        }
    }

    /** {@code /v1/sandboxes/{id}/ports/{port}/…}: the caller's sandbox; the path after the port goes on. */
    private Destination byPath(Context ctx, Caller caller, String uri) {
        Matcher path = PORT_PATH.matcher(uri);
        if (!path.matches()) {
            throw ApiException.badRequest("write the sandbox id and port in the path without percent-encoding");
        }
        String id = path.group(2);
        HostClient host = sandboxes.running(caller, id); // 404 for another team's, before anything else is judged
        int port = port(path.group(3));
        // The key is for Amber, not for the sandbox; Authorization stays when it is not the key.
        Set<String> credentials = ctx.header("X-API-Key") != null ? Set.of("x-api-key") : Set.of("authorization");
        String rest = path.group(4) == null ? "/" : path.group(4);
        return new Destination(host, id, port, new PortProxy.Forward(target(rest, ctx), "localhost:" + port,
                path.group(1), credentials));
    }

    /**
     * {@code {port}-{id}.{domain}}: any team's sandbox, the id being the capability, plus its port
     * token when its ports are not public; the path goes on unchanged.
     */
    private Optional<Destination> byHostName(Context ctx, String uri) {
        return hostNames.parse(ctx.host()).map(address -> {
            String id = address.sandboxId();
            SandboxRecord record = Ids.SANDBOX.parse(id).flatMap(records::findById)
                    .orElseThrow(() -> ApiException.notFound("no sandbox " + id));
            if (!PortTokens.admits(record, ctx.header(TOKEN_HEADER))) {
                throw new ApiException(ErrorCode.UNAUTHORIZED, "the ports of sandbox " + id + " are not public: send its"
                        + " port token (given when they became private) as " + TOKEN_HEADER);
            }
            HostClient host = sandboxes.running(new Caller(record.teamId(), null, false), id);
            return new Destination(host, id, port(address.portText()),
                    new PortProxy.Forward(target(uri, ctx), ctx.host(), "", Set.of(TOKEN_HEADER.toLowerCase(Locale.ROOT))));
        });
    }

    private static String target(String path, Context ctx) {
        String query = ctx.queryString();
        return path + (query == null ? "" : "?" + query);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535 && text.equals(Integer.toString(port))) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("port must be a number from 1 to 65535, got \"" + text + "\"");
    }
}
