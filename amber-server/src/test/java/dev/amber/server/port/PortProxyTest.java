package dev.amber.server.port;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.server.http.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static dev.amber.server.port.SandboxPort.readRequest;
import static dev.amber.server.port.SandboxPort.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP framing of the port proxy between a real client, a real Jetty server and a sandbox's
 * server played over a loopback socket: what the sandbox receives, and what the client gets back
 * for each way a response can be framed, or malformed.
 */
@Timeout(60)
class PortProxyTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @RegisterExtension
    final ProxyFront front = new ProxyFront();

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(front.http(ProxyFront.PREFIX + pathAndQuery));
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return client.sendAsync(request, BodyHandlers.ofString());
    }

    /** The sandbox's server takes one request and answers {@code response} verbatim, then closes. */
    private SandboxPort.Request answer(String response) throws IOException {
        try (Socket socket = front.sandbox().accept()) {
            SandboxPort.Request request = readRequest(socket.getInputStream());
            write(socket, response);
            return request;
        }
    }

    private static JsonNode error(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body()).path("error");
    }

    @Test
    void contentLengthResponseReachesTheClientWithStatusEndToEndHeadersAndBody() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Custom: a\r\nX-Custom: b\r\n"
                + "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nDate: Mon, 01 Jan 2001 00:00:00 GMT\r\n\r\nhello");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(201);
        assertThat(got.body()).isEqualTo("hello");
        assertThat(got.headers().firstValue("Content-Length")).hasValue("5");
        assertThat(got.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(got.headers().allValues("X-Custom")).containsExactly("a", "b");
        assertThat(got.headers().map()).doesNotContainKey("keep-alive");
        assertThat(got.headers().firstValue("Date")).isPresent().get().asString().doesNotContain("2001");
    }

    @Test
    void sandboxReceivesTheTargetWithForwardingHeadersAndWithoutAmbersCredentials() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/some/path?x=1&y=2")
                .header(ProxyFront.PRIVATE_HEADER, "amber-key")
                .header("X-Forwarded-For", "203.0.113.66")
                .header("Authorization", "Bearer for-the-app")
                .header("X-App", "v").build());
        SandboxPort.Request received = answer("HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(response.get().statusCode()).isEqualTo(204);
        assertThat(received.requestLine()).isEqualTo("GET /some/path?x=1&y=2 HTTP/1.1");
        assertThat(received.headers("Host")).containsExactly("localhost:8000");
        assertThat(received.headers("Connection")).containsExactly("close");
        assertThat(received.headers("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.headers("X-Forwarded-Proto")).containsExactly("http");
        assertThat(received.headers("X-Forwarded-Prefix")).containsExactly(ProxyFront.PREFIX);
        assertThat(received.headers("Authorization")).containsExactly("Bearer for-the-app");
        assertThat(received.headers("X-App")).containsExactly("v");
        assertThat(received.headers(ProxyFront.PRIVATE_HEADER)).isEmpty();
        assertThat(received.headers("Content-Length")).isEmpty();
        assertThat(received.headers("Transfer-Encoding")).isEmpty();
    }

    @Test
    void requestBodyWithContentLengthReachesTheSandboxWithTheSameLength() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/upload")
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build());
        SandboxPort.Request received = answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(response.get().body()).isEqualTo("ok");
        assertThat(received.requestLine()).isEqualTo("POST /upload HTTP/1.1");
        assertThat(received.headers("Content-Length")).containsExactly("7");
        assertThat(received.bodyText()).isEqualTo("payload");
    }

    @Test
    void chunkedRequestBodyIsChunkedAgainForTheSandbox() throws Exception {
        byte[] body = "a body of unknown length ".repeat(5000).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<HttpResponse<String>> response = send(request("/upload")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        SandboxPort.Request received = answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(response.get().body()).isEqualTo("ok");
        assertThat(received.headers("Transfer-Encoding")).containsExactly("chunked");
        assertThat(received.headers("Content-Length")).isEmpty();
        assertThat(received.body()).isEqualTo(body);
    }

    @Test
    void chunkedResponseIsDecodedWithItsExtensionsAndTrailersDropped() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                + "6;name=value\r\nhello \r\n" + "0000000000000005\r\nworld\r\n" + "0\r\nX-Checksum: 42\r\n\r\n");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("hello world");
        assertThat(got.headers().map()).doesNotContainKeys("x-checksum", "trailer");
    }

    @Test
    void chunkedResponseReachesTheClientChunkByChunkAsTheSandboxSendsIt() throws Exception {
        CompletableFuture<HttpResponse<InputStream>> response = client.sendAsync(request("/events").build(),
                BodyHandlers.ofInputStream());
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "9\r\ndata: 1\n\n\r\n");
            BufferedReader events = new BufferedReader(new InputStreamReader(response.get().body(), StandardCharsets.UTF_8));

            assertThat(events.readLine()).isEqualTo("data: 1"); // while the sandbox still holds the second event back

            write(socket, "9\r\ndata: 2\n\n\r\n0\r\n\r\n");
            assertThat(events.readLine()).isEmpty();
            assertThat(events.readLine()).isEqualTo("data: 2");
            assertThat(events.readLine()).isEmpty();
            assertThat(events.readLine()).isNull();
        }
    }

    @Test
    void responseWithoutLengthOrChunkingEndsWhenTheSandboxClosesTheConnection() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");

        assertThat(response.get().body()).isEqualTo("until the end");
    }

    @Test
    void proxyEndsTheSandboxConnectionAfterOneResponseThoughTheServerWouldKeepItAlive() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\none");

            assertThat(response.get().body()).isEqualTo("one");
            assertThat(socket.getInputStream().read()).as("the proxy's next byte").isEqualTo(-1);
        }
    }

    @Test
    void everyRequestOnTheClientsKeptAliveConnectionGetsASandboxConnectionOfItsOwn() throws Exception {
        for (String body : new String[] {"first", "second"}) {
            CompletableFuture<HttpResponse<String>> response = send(request("/" + body).build());
            SandboxPort.Request received = answer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

            assertThat(received.requestLine()).isEqualTo("GET /" + body + " HTTP/1.1");
            assertThat(received.headers("Connection")).containsExactly("close");
            assertThat(response.get().body()).isEqualTo(body);
        }
    }

    @Test
    void interimResponsesAreSkippedAndTheFinalOnePassedOn() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("done");
    }

    @Test
    void headResponseAnnouncesTheLengthWithoutTheProxyWaitingForABody() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"); // and the connection stays open

            HttpResponse<String> got = response.get();
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Length")).hasValue("1000");
            assertThat(got.body()).isEmpty();
        }
    }

    @Test
    void notModifiedResponseHasNoBodyWhateverItsHeadersSay() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").header("If-None-Match", "\"v1\"").build());
        try (Socket socket = front.sandbox().accept()) {
            SandboxPort.Request received = readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nTransfer-Encoding: chunked\r\n\r\n");

            assertThat(received.headers("If-None-Match")).containsExactly("\"v1\"");
            HttpResponse<String> got = response.get();
            assertThat(got.statusCode()).isEqualTo(304);
            assertThat(got.headers().firstValue("ETag")).hasValue("\"v1\"");
        }
    }

    @Test
    void serverThatDoesNotSpeakHttpIsABadGatewayNamingThePort() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("SSH-2.0-OpenSSH_9.6\r\n");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(502);
        assertThat(error(got).path("code").asText()).isEqualTo("bad_gateway");
        assertThat(error(got).path("message").asText())
                .isEqualTo("the sandbox's server did not answer with HTTP/1.x (port 8000 of sb-test)");
    }

    @Test
    void serverGreetingInAnotherProtocolIsABadGatewayWithoutWaitingForItToClose() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "-ERR unknown command 'GET'\r\n"); // and the connection stays open

            HttpResponse<String> got = response.get();
            assertThat(got.statusCode()).isEqualTo(502);
            assertThat(error(got).path("message").asText()).startsWith("the sandbox's server did not answer with HTTP/1.x");
        }
    }

    @Test
    void serverThatClosesWithoutAnsweringIsABadGateway() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(502);
        assertThat(error(got).path("message").asText()).startsWith("the sandbox's server closed the connection without answering");
    }

    @Test
    void malformedStatusLineOrHeaderIsABadGateway() throws Exception {
        for (String head : new String[] {"HTTP/1.1 OK\r\n\r\n", "HTTP/1.1 999 Too Far\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Le"}) {
            CompletableFuture<HttpResponse<String>> response = send(request("/").build());
            answer(head);

            HttpResponse<String> got = response.get();
            assertThat(got.statusCode()).as(head).isEqualTo(502);
            assertThat(error(got).path("code").asText()).as(head).isEqualTo("bad_gateway");
        }
    }

    @Test
    void responseHeadOverItsLimitIsABadGateway() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(ResponseHead.MAX_BYTES) + "\r\n\r\n");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(502);
        assertThat(error(got).path("message").asText()).contains("response head over 65536 bytes");
    }

    @Test
    void malformedFirstChunkSizeIsABadGatewayWithoutTheSandboxsHeaders() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-App: v\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nhello\r\n0\r\n\r\n");

        HttpResponse<String> got = response.get();
        assertThat(got.statusCode()).isEqualTo(502);
        assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(got.headers().firstValue("X-App")).isEmpty();
        assertThat(error(got).path("message").asText()).startsWith("the sandbox's server sent a malformed chunk size");
    }

    @Test
    void chunkCutShortAfterTheResponseBeganFailsTheClientsResponse() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\ncut sh");

        assertThatThrownBy(response::get).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void bodyShorterThanItsContentLengthFailsTheClientsResponse() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/").build());
        answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");

        assertThatThrownBy(response::get).hasRootCauseInstanceOf(IOException.class);
    }
}
