package dev.amber.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A stand-in for the Amber server on a free local port: it answers each request with the next
 * canned reply, in order, and records what it was asked, so tests can check what went over the wire.
 */
final class FakeServer implements AutoCloseable {

    private final HttpServer server;
    private final Queue<Reply> replies = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request gets {@code status} and {@code json}; an empty body for 204. */
    FakeServer reply(int status, String json) {
        synchronized (this) {
            replies.add(new Reply(status, json));
        }
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply;
            synchronized (this) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), body));
                reply = replies.poll();
            }
            if (reply == null) {
                reply = new Reply(500, "{\"error\": {\"code\": \"internal\", \"message\": \"no reply left\"}}");
            }
            byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** What the client sent; {@code query} is null when there was none. */
    record Request(String method, String path, String query, String body) {
        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + (body.isEmpty() ? "" : " " + body);
        }
    }

    private record Reply(int status, String json) {}
}
