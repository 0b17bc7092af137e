package dev.amber.server.port;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The head of a request as a sandbox's server receives it: the client's end-to-end headers, minus
 * those about its own hop to Amber and minus Amber's credentials, plus where it came from
 * (X-Forwarded-*) and the framing headers of the new hop.
 */
final class RequestHead {

    /** Headers about one hop of a connection, not the request: each hop sets its own. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");

    private RequestHead() {}

    /**
     * Writes {@code method target HTTP/1.1} and the headers; {@code hopHeaders} are the new hop's
     * own (Connection, Content-Length, Upgrade...), {@code withheld} (lower case) more headers to leave out.
     */
    static void write(OutputStream out, Context ctx, PortProxy.Forward forward, Map<String, String> hopHeaders,
                      Set<String> withheld) throws IOException {
        HttpServletRequest request = ctx.req();
        StringBuilder head = new StringBuilder();
        head.append(request.getMethod()).append(' ').append(forward.target()).append(" HTTP/1.1\r\n");
        header(head, "Host", forward.host());
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !withheld.contains(lower) && !forward.privateHeaders().contains(lower)
                    && !lower.startsWith("x-forwarded-")) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    header(head, name, value);
                }
            }
        }
        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Forwarded-For", ctx.ip());
        added.put("X-Forwarded-Proto", ctx.scheme());
        added.put("X-Forwarded-Host", ctx.host());
        if (!forward.prefix().isEmpty()) {
            added.put("X-Forwarded-Prefix", forward.prefix());
        }
        added.putAll(hopHeaders);
        added.forEach((name, value) -> header(head, name, value));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void header(StringBuilder head, String name, String value) {
        head.append(name).append(": ").append(value).append("\r\n");
    }
}
