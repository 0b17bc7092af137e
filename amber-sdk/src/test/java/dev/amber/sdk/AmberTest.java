package dev.amber.sdk;

import dev.amber.sdk.error.AmberConnectionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmberTest {

    @Test
    void baseUrlLosesTrailingSlashesAndKeepsAPathPrefix() {
        assertThat(Amber.baseUrl("http://localhost:7070/").toString()).isEqualTo("http://localhost:7070");
        assertThat(Amber.baseUrl(" https://proxy.example/amber// ").toString()).isEqualTo("https://proxy.example/amber");
    }

    @Test
    void baseUrlMustBeHttpWithAHost() {
        assertThatThrownBy(() -> Amber.baseUrl("localhost:7070")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> Amber.baseUrl("ftp://host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amber.baseUrl("http://exa mple")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a URL");
    }

    @Test
    void emptyApiKeyIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> Amber.connect("http://localhost:7070", " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreachableServerBecomesAmberExceptionThatSaysWhatToCheck() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AmberOptions options = AmberOptions.defaults().withConnectTimeout(Duration.ofSeconds(2));

        try (Amber amber = Amber.connect("http://127.0.0.1:" + closedPort, "amb_test", options)) {
            assertThatThrownBy(() -> amber.teams().me())
                    .isInstanceOf(AmberConnectionException.class)
                    .hasMessageContaining("cannot reach Amber at http://127.0.0.1:" + closedPort)
                    .hasMessageContaining("is the server running")
                    .satisfies(e -> assertThat(((AmberConnectionException) e).code()).isEqualTo("connection_failed"));
        }
    }

    @Test
    void optionsRefuseNonPositiveTimeouts() {
        assertThatThrownBy(() -> AmberOptions.defaults().withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
    }

    @Test
    void modesAreSentInOctal() {
        assertThat(SandboxFiles.octal(0644)).isEqualTo("644");
        assertThat(SandboxFiles.octal(04755)).isEqualTo("4755");
        assertThatThrownBy(() -> SandboxFiles.octal(010000)).isInstanceOf(IllegalArgumentException.class);
    }
}
