package dev.amber.guest;

import dev.amber.guest.system.SystemHandler;
import dev.amber.protocol.message.Facts;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Stream;
import dev.amber.protocol.mux.StreamResetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Health and the agent's routing. What would change this machine (its clock, hostname, entropy
 * pool) is not run here; only a hostname that is refused before anything is written.
 */
@Timeout(60)
class AgentSystemTest {

    @RegisterExtension
    final GuestAgent agent = new GuestAgent();

    @Test
    void healthReportsTheAgentProtocolHeartbeatAndHostname() throws Exception {
        Facts facts = Facts.decode(agent.call(new Request.Health()).only(Tags.REPLY));

        assertThat(facts.values())
                .containsEntry("agentVersion", SystemHandler.AGENT_VERSION)
                .containsEntry("protocolVersion", Integer.toString(Hello.PROTOCOL_VERSION))
                .containsEntry("heartbeatMillis", "2000")
                .containsEntry("hostname", Files.readString(Path.of("/proc/sys/kernel/hostname")).strip())
                .containsKeys("agentUptimeMillis", "jvmStartupMillis", "kernel", "kernelUptimeAtReadySeconds");
    }

    @Test
    void invalidHostnameIsRefusedAndNothingRenamed() throws Exception {
        String before = Files.readString(Path.of("/proc/sys/kernel/hostname"));

        GuestAgent.Answer answer = agent.call(new Request.SetHostname("-not valid-"));

        assertThat(answer.error().message()).contains("invalid hostname: -not valid-");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).isEqualTo(before);
    }

    @Test
    void malformedRequestResetsItsStreamAndTheAgentServesTheNext() throws Exception {
        Stream stream = agent.open(new byte[] {99});

        assertThatThrownBy(() -> stream.receive(Duration.ofSeconds(30)))
                .isInstanceOf(StreamResetException.class).hasMessageContaining("malformed request");
        assertThat(agent.call(new Request.Health()).tags()).containsExactly(Tags.REPLY);
    }
}
