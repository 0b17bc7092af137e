package dev.amber.server.port;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.host.HostClient;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostPorts.PortConnection;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Passes one HTTP request to a server inside a sandbox and its response back, over a connection
 * through the guest agent: sent with {@code Connection: close}, the response re-framed for the
 * client (streamed, flushed as it arrives). WebSockets go through {@link WebSocketRelay} instead.
 */
final class PortProxy {

    private static final System.Logger LOG = System.getLogger("amber.port");
    private static final int BUFFER_BYTES = 64 * 1024;

    /**
     * Where the request goes and what of it stays behind: {@code target} is the path and query the
     * sandbox's server sees, {@code host} its Host header, {@code prefix} the path the client used
     * in front of it (X-Forwarded-Prefix; empty for none), {@code privateHeaders} (lower case) the
     * client's credentials for Amber itself, which a sandbox never sees.
     */
    record Forward(String target, String host, String prefix, Set<String> privateHeaders) {}

    void forward(Context ctx, HostClient host, String sandboxId, int port, Forward forward) throws IOException {
        try (PortConnection connection = open(host, sandboxId, port)) {
            forward(ctx, connection, forward, "port " + port + " of " + sandboxId);
        }
    }

    /** The exchange over a connection already open to the port; {@code where} names that port in errors. */
    void forward(Context ctx, PortConnection connection, Forward forward, String where) throws IOException {
        try {
            HttpServletRequest request = ctx.req();
            OutputStream toSandbox = new BufferedOutputStream(connection.output(), BUFFER_BYTES);
            RequestHead.write(toSandbox, ctx, forward, framing(request), Set.of());
            writeBody(request, toSandbox);
            toSandbox.flush();
            InputStream fromSandbox = new BufferedInputStream(connection.input(), BUFFER_BYTES);
            ResponseHead head = readFinalHead(fromSandbox);
            respond(ctx.res(), head, bodyOf(head, request.getMethod(), fromSandbox));
        } catch (IOException e) {
            if (ctx.res().isCommitted()) {
                cutOff(ctx, e, where);
                return;
            }
            ctx.res().reset(); // the sandbox's status and headers, set before its body failed
            if (e instanceof ResponseHead.MalformedException) {
                throw new ApiException(ErrorCode.BAD_GATEWAY, e.getMessage() + " (" + where + ")");
            }
            throw e;
        }
    }

    /**
     * Once the response has begun no status can report a failure, and an error body would pass for
     * the rest of the sandbox's: the client's connection is cut instead, so that it sees the
     * response is incomplete.
     */
    private static void cutOff(Context ctx, IOException e, String where) {
        LOG.log(System.Logger.Level.INFO, "response from " + where + " cut off: " + e.getMessage());
        // Jetty's own connection: the servlet API has no way to fail a response that has begun.
        ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
                .getEndPoint().close(e);
    }

    /** A connection to the port; 502 when nothing listens there. */
    static PortConnection open(HostClient host, String sandboxId, int port) throws HostException {
        try {
            return host.ports().open(sandboxId, port);
        } catch (HostException e) {
            if (e.kind() == HostException.Kind.NOT_FOUND) {
                throw new ApiException(ErrorCode.BAD_GATEWAY, "nothing listens on port " + port + " in sandbox "
                        + sandboxId + " (a server must listen on 127.0.0.1 or 0.0.0.0 there)");
            }
            throw e;
        }
    }

    /** One request per connection, its body framed as the client framed it. */
    private static Map<String, String> framing(HttpServletRequest request) {
        Map<String, String> framing = new LinkedHashMap<>();
        framing.put("Connection", "close");
        if (request.getContentLengthLong() >= 0) {
            framing.put("Content-Length", Long.toString(request.getContentLengthLong()));
        } else if (request.getHeader("Transfer-Encoding") != null) {
            framing.put("Transfer-Encoding", "chunked");
        }
        return framing;
    }

    /** The request body as the head announced it: exactly Content-Length bytes, or re-chunked. */
    private static void writeBody(HttpServletRequest request, OutputStream out) throws IOException {
        InputStream body = request.getInputStream();
        if (request.getContentLengthLong() >= 0) {
            body.transferTo(out);
        } else if (request.getHeader("Transfer-Encoding") != null) {
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (n > 0) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(buffer, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** The response head, past any interim 1xx (100 Continue, 103 Early Hints). */
    private static ResponseHead readFinalHead(InputStream in) throws IOException {
        ResponseHead head = ResponseHead.read(in);
        while (head.status() < 200) {
            head = ResponseHead.read(in);
        }
        return head;
    }

    /** The body's bytes as the head frames them; none for HEAD, 204 and 304. */
    private static InputStream bodyOf(ResponseHead head, String method, InputStream in) {
        if (method.equals("HEAD") || head.status() == 204 || head.status() == 304) {
            return InputStream.nullInputStream();
        }
        if (head.hasToken("Transfer-Encoding", "chunked")) {
            return new ChunkedInputStream(in);
        }
        return head.header("Content-Length").map(length -> (InputStream) new BoundedInputStream(in, contentLength(length)))
                .orElse(in);
    }

    private static long contentLength(String value) {
        try {
            long length = Long.parseLong(value.strip());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(ErrorCode.BAD_GATEWAY, "the sandbox's server sent Content-Length \"" + value + "\"");
    }

    private static void respond(HttpServletResponse response, ResponseHead head, InputStream body) throws IOException {
        response.setStatus(head.status());
        copyHeaders(head, response);
        if (!head.hasToken("Transfer-Encoding", "chunked")) {
            head.header("Content-Length").ifPresent(length -> response.setContentLengthLong(contentLength(length)));
        }
        OutputStream out = response.getOutputStream();
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = body.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            out.flush(); // a stream of events reaches the client as it is produced
        }
    }

    /** The sandbox's response headers but those of its hop, and Date, which this server sets itself. */
    static void copyHeaders(ResponseHead head, HttpServletResponse response) {
        response.setContentType(null);
        for (ResponseHead.Header header : head.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!RequestHead.HOP_BY_HOP.contains(name) && !name.equals("date")) {
                response.addHeader(header.name(), header.value());
            }
        }
    }
}
