package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sandbox's servers reached through the control plane, by path with an API key and by host name
 * ({port}-{id}.localhost, resolved as browsers do): {@code python3 -m http.server}, an HTTP echo
 * server and a WebSocket echo server, all in one sandbox that has no network at all, so every
 * byte must travel through the guest agent's channel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortProxyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILES_PORT = 8000;
    private static final int ECHO_PORT = 8765;

    private TestDeployment amber;
    private Api api;
    private String key;
    private String sandbox;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startServersInAnOfflineSandbox() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "port-users");
        Api.Response created = api.call("POST", "/v1/sandboxes", key, "{\"network\":{\"internet\":false}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        sandbox = created.json().path("id").asText();
        try (InputStream script = PortProxyTest.class.getResourceAsStream("/guest/echo_server.py")) {
            Api.Response uploaded = api.send("PUT", "/v1/sandboxes/" + sandbox + "/files?path=/srv/echo_server.py", key,
                    HttpRequest.BodyPublishers.ofByteArray(script.readAllBytes()), "application/octet-stream");
            assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
        }
        shell("mkdir -p /srv/www && echo hello from the sandbox > /srv/www/hello.txt"
                + " && head -c 3000000 /dev/urandom > /srv/www/big.bin"
                + " && (nohup python3 -m http.server " + FILES_PORT + " --directory /srv/www >/dev/null 2>&1 &)"
                + " && (nohup python3 /srv/echo_server.py " + ECHO_PORT + " >/dev/null 2>&1 &)"
                + " && for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/" + FILES_PORT + ") 2>/dev/null"
                + " && (echo > /dev/tcp/127.0.0.1/" + ECHO_PORT + ") 2>/dev/null && exit 0; sleep 0.2; done; exit 1");
    }

    @AfterAll
    void stop() throws Exception {
        amber.close();
    }

    @Test
    void httpServerFilesArriveWholeByPathAndByHostName() throws Exception {
        String bigDigest = shell("sha256sum /srv/www/big.bin").split(" ")[0];
        for (String base : new String[] {byPath(FILES_PORT), byHostName(FILES_PORT)}) {
            HttpResponse<String> hello = get(base + "/hello.txt");
            assertThat(hello.statusCode()).as(base).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello from the sandbox\n");

            HttpResponse<byte[]> big = http.send(request(base + "/big.bin").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.headers().firstValueAsLong("Content-Length")).hasValue(3_000_000L);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big.body()))).isEqualTo(bigDigest);

            assertThat(get(base + "/missing.txt").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void requestsKeepMethodBodyPathAndQueryButNeverTheApiKey() throws Exception {
        byte[] body = new byte[200_000];
        new java.util.Random(7).nextBytes(body);
        HttpResponse<byte[]> echoed = http.send(request(byPath(ECHO_PORT) + "/echo?x=1&y=%2F")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).as("%d bytes back", echoed.body().length).isEqualTo(body);
        assertThat(echoed.headers().firstValue("X-Echo-Path")).hasValue("/echo?x=1&y=%2F");

        String headers = get(byPath(ECHO_PORT) + "/headers").body().toLowerCase();
        assertThat(headers).doesNotContain(key.toLowerCase()).doesNotContain("x-api-key")
                .contains("x-forwarded-prefix: /v1/sandboxes/" + sandbox + "/ports/" + ECHO_PORT)
                .contains("host: localhost:" + ECHO_PORT);
        assertThat(get(byHostName(ECHO_PORT) + "/headers").body().toLowerCase())
                .contains("host: " + ECHO_PORT + "-" + sandbox + ".localhost:" + amber.port());
    }

    @Test
    void webSocketsEchoByPathAndByHostName() throws Exception {
        for (String base : new String[] {byPath(ECHO_PORT), byHostName(ECHO_PORT)}) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = http.newWebSocketBuilder().header("X-API-Key", key)
                    .buildAsync(URI.create(base.replace("http://", "ws://") + "/ws"), new Collector(received))
                    .get(30, TimeUnit.SECONDS);
            String large = "x".repeat(100_000);
            for (String message : new String[] {"one", "two", large}) {
                socket.sendText(message, true).get(10, TimeUnit.SECONDS);
                assertThat(received.poll(10, TimeUnit.SECONDS)).as(base).isEqualTo(message);
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void trafficToAPortResumesAPausedSandbox() throws Exception {
        Api.Response paused = api.call("POST", "/v1/sandboxes/" + sandbox + "/pause", key, null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().path("state").asText()).isEqualTo("paused");

        HttpResponse<String> hello = get(byHostName(FILES_PORT) + "/hello.txt");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello from the sandbox\n");
        assertThat(api.call("GET", "/v1/sandboxes/" + sandbox, key, null).json().path("state").asText()).isEqualTo("running");
    }

    @Test
    void privatePortsNeedTheTokenIssuedWhenTheyBecamePrivate() throws Exception {
        Api.Response closed = api.call("PUT", "/v1/sandboxes/" + sandbox + "/network", key,
                "{\"internet\":false,\"publicPorts\":false}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        String token = closed.json().path("portToken").asText();
        assertThat(token).startsWith("amp_");
        assertThat(api.call("GET", "/v1/sandboxes/" + sandbox, key, null).body()).doesNotContain(token);
        try {
            String url = byHostName(ECHO_PORT) + "/headers";
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("X-Amber-Port-Token");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Amber-Port-Token", "amp_wrong").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> admitted = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("X-Amber-Port-Token", token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(admitted.statusCode()).isEqualTo(200);
            assertThat(admitted.body()).doesNotContain(token);
            assertThat(get(byPath(ECHO_PORT) + "/headers").statusCode()).as("the API-key route").isEqualTo(200);
        } finally {
            api.call("PUT", "/v1/sandboxes/" + sandbox + "/network", key, "{\"internet\":false}");
        }
    }

    @Test
    void refusalsSayWhatIsWrong() throws Exception {
        Api.Response nothing = api.call("GET", "/v1/sandboxes/" + sandbox + "/ports/9/", key, null);
        assertThat(nothing.status()).as(nothing.body()).isEqualTo(502);
        assertThat(nothing.errorCode()).isEqualTo("bad_gateway");
        assertThat(nothing.errorMessage()).contains("nothing listens on port 9");
        for (String port : new String[] {"0", "70000", "http"}) {
            Api.Response bad = api.call("GET", "/v1/sandboxes/" + sandbox + "/ports/" + port + "/", key, null);
            assertThat(bad.status()).as(port).isEqualTo(400);
            assertThat(bad.errorMessage()).contains("port must be a number from 1 to 65535");
        }
        assertThat(api.call("GET", "/v1/sandboxes/" + sandbox + "/ports/8000/", null, null).status()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(byHostName(FILES_PORT).replace(sandbox,
                "sb-00000000-0000-4000-8000-000000000000") + "/")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    private String byPath(int port) {
        return amber.url() + "/v1/sandboxes/" + sandbox + "/ports/" + port;
    }

    private String byHostName(int port) {
        return "http://" + port + "-" + sandbox + ".localhost:" + amber.port();
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).header("X-API-Key", key);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(request(url).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String shell(String script) throws Exception {
        Api.Response response = api.call("POST", "/v1/sandboxes/" + sandbox + "/exec", key,
                JSON.writeValueAsString(Map.of("shell", script)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.path("exitCode").asInt()).as(script + ": " + result.path("stderr").asText()).isZero();
        return result.path("stdout").asText();
    }

    /** Collects whole text messages. */
    private record Collector(BlockingQueue<String> received) implements WebSocket.Listener {
        private static final StringBuilder PARTIAL = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            synchronized (PARTIAL) {
                PARTIAL.append(data);
                if (last) {
                    received.add(PARTIAL.toString());
                    PARTIAL.setLength(0);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
