package dev.amber.cli.up;

import dev.amber.server.http.Transport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AMBER_TLS_CERT and AMBER_TLS_KEY as `amber up` reads them from the environment. */
class DeploymentSettingsTest {

    @Test
    void bothPemFilesMakeTheServerSpeakHttps() {
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(
                Map.of("AMBER_TLS_CERT", "/etc/amber/cert.pem", "AMBER_TLS_KEY", "/etc/amber/key.pem"));
        assertThat(settings.server().transport())
                .isEqualTo(Transport.tls(Path.of("/etc/amber/cert.pem"), Path.of("/etc/amber/key.pem")));
        assertThat(settings.server().transport().scheme()).isEqualTo("https");
    }

    @Test
    void neitherMeansPlainHttp() {
        assertThat(DeploymentSettings.fromEnvironment(Map.of("AMBER_TLS_CERT", " ")).server().transport())
                .isEqualTo(Transport.plain());
    }

    @Test
    void oneWithoutTheOtherIsRefusedRatherThanServedInPlainText() {
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("AMBER_TLS_CERT", "/etc/amber/cert.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AMBER_TLS_KEY");
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("AMBER_TLS_KEY", "/etc/amber/key.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AMBER_TLS_CERT");
    }
}
