package dev.amber.server;

import dev.amber.server.http.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AMBER_TLS_CERT/AMBER_TLS_KEY: the API's one port speaks HTTPS with a certificate made by openssl,
 * to a JDK client that trusts it; a sandbox's host name still reaches the port proxy over TLS.
 */
@Timeout(120)
class HttpsTest {

    @TempDir
    Path directory;
    private SelfSignedCertificate certificate;
    private ServerFixture fixture;
    private HttpClient trusting;

    @BeforeEach
    void startWithTls() throws Exception {
        certificate = SelfSignedCertificate.create(directory);
        fixture = ServerFixture.start((id, address) -> {
            throw new IOException("this test server connects to no host");
        }, ServerSettings.forTests().withTransport(certificate.transport()));
        trusting = HttpClient.newBuilder().sslContext(certificate.trustingClient()).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        trusting.close();
        fixture.close();
    }

    private String https(String path) {
        return "https://localhost:" + fixture.server().port() + path;
    }

    @Test
    void aClientThatTrustsTheCertificateCallsTheApiOverHttps() throws Exception {
        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create(https("/health"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> me = trusting.send(HttpRequest.newBuilder(URI.create(https("/v1/teams/me")))
                .header("X-API-Key", fixture.adminKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustItAndPlainHttpAreTurnedAway() {
        try (HttpClient defaults = HttpClient.newHttpClient()) {
            assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(URI.create(https("/health"))).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(URI.create(fixture.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aSandboxHostNameReachesThePortProxyOverTls() throws Exception {
        assertThat(rawGet("localhost")).startsWith("HTTP/1.1 200");
        assertThat(rawGet("8000-sb-0123456789abcdef.localhost")).as("answered by the port proxy, not the API")
                .startsWith("HTTP/1.1 404").contains("no sandbox sb-0123456789abcdef");
    }

    /** GET /health with this host name as SNI and Host, as a browser sends them. */
    private String rawGet(String host) throws Exception {
        SSLContext context = certificate.trustingClient();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", fixture.server().port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: " + host + ":" + fixture.server().port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
