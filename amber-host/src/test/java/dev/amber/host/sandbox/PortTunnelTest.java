package dev.amber.host.sandbox;

import dev.amber.host.TestRuntime;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.agent.GuestOperationException;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.vm.MachineResources;
import dev.amber.protocol.message.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A server inside a sandbox reached through the agent channel, even with the sandbox offline. */
class PortTunnelTest {

    @Test
    void anHttpServerInAnOfflineSandboxAnswersThroughTheTunnel() throws Exception {
        SandboxRuntime runtime = TestRuntime.get();
        Sandbox sandbox = runtime.create(SandboxSpec.of(MachineResources.DEFAULT).withNetwork(NetworkPolicy.OFFLINE));
        try {
            AgentClient agent = sandbox.agent();
            assertThatThrownBy(() -> agent.connect(8000))
                    .isInstanceOfSatisfying(GuestOperationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("port 8000");

            agent.run(ExecCommand.shell("cd /tmp && echo tunnelled > index.txt && "
                    + "nohup python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &"), null);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> request(agent).contains("tunnelled"));

            String response = request(agent);
            assertThat(response).startsWith("HTTP/1.0 200").endsWith("tunnelled\n");
        } finally {
            runtime.destroy(sandbox.id());
        }
    }

    private static String request(AgentClient agent) throws Exception {
        try (AgentClient.Tunnel tunnel = agent.connect(8000)) {
            try (OutputStream out = tunnel.output()) {
                out.write("GET /index.txt HTTP/1.0\r\nHost: sandbox\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            return new String(tunnel.input().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
