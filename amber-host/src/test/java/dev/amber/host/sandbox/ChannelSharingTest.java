package dev.amber.host.sandbox;

import dev.amber.host.RandomStream;
import dev.amber.host.TestRuntime;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.agent.ExecResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Many users of one guest channel at once, and a channel that receives garbage. */
class ChannelSharingTest {

    private static Sandbox sandbox;
    private static AgentClient agent;

    @BeforeAll
    static void boot() throws Exception {
        sandbox = TestRuntime.boot();
        agent = sandbox.agent();
    }

    @AfterAll
    static void destroy() throws Exception {
        TestRuntime.get().destroy(sandbox.id());
    }

    @Test
    void eightExecsAndALargeTransferShareTheChannel() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long size = 100L * 1024 * 1024;
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            CompletableFuture<Long> transfer = CompletableFuture.supplyAsync(() -> {
                try {
                    return agent.upload("/root/hundred.bin", 0644, new RandomStream(size, 7, sent));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            List<CompletableFuture<ExecResult>> execs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String script = "for n in $(seq 1 200); do echo " + i + "-$n; done; sleep 1; echo done-" + i + " >&2";
                execs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return agent.run(ExecCommand.shell(script), null);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }

            for (int i = 0; i < execs.size(); i++) {
                ExecResult result = execs.get(i).get(120, TimeUnit.SECONDS);
                StringBuilder expected = new StringBuilder();
                for (int n = 1; n <= 200; n++) {
                    expected.append(i).append('-').append(n).append('\n');
                }
                assertThat(result.exitCode()).isZero();
                assertThat(result.stdoutText()).isEqualTo(expected.toString());
                assertThat(result.stderrText()).isEqualTo("done-" + i + "\n");
            }
            assertThat(transfer.get(300, TimeUnit.SECONDS)).isEqualTo(size);
            MessageDigest back = MessageDigest.getInstance("SHA-256");
            agent.download("/root/hundred.bin", new DigestOutputStream(OutputStream.nullOutputStream(), back));
            assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        }
    }

    @Test
    void agentKeepsServingAfterGarbageOnTheChannel() throws Exception {
        byte[] garbage = new byte[256 * 1024];
        new Random(99).nextBytes(garbage);

        agent.injectGarbage(garbage);
        ExecResult result = agent.run(ExecCommand.of("echo", "still serving"), null);

        assertThat(result.stdoutText()).isEqualTo("still serving\n");
        assertThat(agent.health().values()).containsKey("agentVersion");
    }
}
