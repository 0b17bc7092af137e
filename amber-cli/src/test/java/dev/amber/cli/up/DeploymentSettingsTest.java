package dev.amber.cli.up;

import dev.amber.server.CapacitySettings;
import dev.amber.server.http.Transport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings `amber up` reads from the environment: TLS, capacity and the host timeout. */
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

    @Test
    void withoutSettingsSandboxesAreNeverAutoPausedAndKeysGetFiftyRequestsASecond() {
        CapacitySettings capacity = DeploymentSettings.fromEnvironment(Map.of()).capacity();

        assertThat(capacity).isEqualTo(CapacitySettings.defaults());
        assertThat(capacity.defaultTimeoutSec()).isZero();
        assertThat(capacity.memoryOvercommit()).isEqualTo(1.0);
        assertThat(capacity.vcpuOvercommit()).isEqualTo(16);
        assertThat(capacity.requestsPerSec()).isEqualTo(50);
        assertThat(capacity.burst()).isEqualTo(200);
    }

    @Test
    void theEnvironmentSetsTheLimitsCallersGet() {
        CapacitySettings capacity = DeploymentSettings.fromEnvironment(Map.of("AMBER_DEFAULT_TIMEOUT_SEC", "300",
                "AMBER_MEMORY_OVERCOMMIT", "1.5", "AMBER_VCPU_OVERCOMMIT", "2", "AMBER_RATE_LIMIT", "0.5",
                "AMBER_RATE_LIMIT_BURST", "10")).capacity();

        assertThat(capacity).isEqualTo(new CapacitySettings(300, 1.5, 2, 0.5, 10));
        assertThat(DeploymentSettings.fromEnvironment(Map.of()).server().capacity()).isEqualTo(CapacitySettings.defaults());
    }

    @Test
    void aMalformedOrOutOfRangeSettingNamesItsVariable() {
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("AMBER_MEMORY_OVERCOMMIT", "lots")))
                .hasMessage("AMBER_MEMORY_OVERCOMMIT must be a number from 0.001 to 100, got \"lots\"");
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("AMBER_DEFAULT_TIMEOUT_SEC", "-1")))
                .hasMessageStartingWith("AMBER_DEFAULT_TIMEOUT_SEC must be a number from 0 to 604800");
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("AMBER_RATE_LIMIT_BURST", "2.5")))
                .hasMessage("AMBER_RATE_LIMIT_BURST must be a whole number, got \"2.5\"");
    }

    @Test
    void aHostIsUnreachableAfterTenSilentSecondsUnlessTheEnvironmentSaysOtherwise() {
        assertThat(DeploymentSettings.fromEnvironment(Map.of()).server().hostTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DeploymentSettings.fromEnvironment(Map.of("AMBER_HOST_TIMEOUT_SEC", "30")).server().hostTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("AMBER_HOST_TIMEOUT_SEC", "0")))
                .hasMessageStartingWith("AMBER_HOST_TIMEOUT_SEC must be a number from 1 to 3600");
    }
}
