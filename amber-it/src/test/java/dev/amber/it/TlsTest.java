package dev.amber.it;

import dev.amber.api.sandbox.ExecResponse;
import dev.amber.cli.up.DeploymentSettings;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Sandbox;
import dev.amber.server.http.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `amber up` with AMBER_TLS_CERT/AMBER_TLS_KEY (a certificate openssl made for localhost and
 * *.localhost): the SDK, given a TLS context that trusts it, drives a real sandbox over HTTPS, and
 * the sandbox's web server answers at its host name over HTTPS too.
 */
class TlsTest {

    @TempDir
    Path directory;

    @Test
    void theSdkAndASandboxHostNameWorkOverHttps() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(directory);
        DeploymentSettings settings = DeploymentSettings.forTests().withTransport(certificate.transport());
        try (TestDeployment amber = TestDeployment.start(Files.createTempDirectory(Path.of("/tmp"), "amber-it"), settings);
             Amber client = Amber.connect("https://localhost:" + amber.port(), amber.adminKey(), certificate.trustingClient());
             Sandbox sandbox = client.sandboxes().create(request -> request.memoryMb(256));
             HttpClient browser = HttpClient.newBuilder().sslContext(certificate.trustingClient()).build()) {
            ExecResponse served = sandbox.shell("mkdir -p /srv && echo served over tls > /srv/hello.txt"
                    + " && (nohup python3 -m http.server 8000 --directory /srv >/dev/null 2>&1 &)"
                    + " && for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/8000) 2>/dev/null && exit 0; sleep 0.2; done;"
                    + " exit 1");
            assertThat(served.exitCode()).as(served.stderr()).isZero();

            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(
                    URI.create("https://8000-" + sandbox.id() + ".localhost:" + amber.port() + "/hello.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("served over tls\n");
        }
    }
}
