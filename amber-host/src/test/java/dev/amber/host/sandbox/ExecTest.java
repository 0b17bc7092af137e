package dev.amber.host.sandbox;

import dev.amber.host.TestRuntime;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.agent.ExecResult;
import dev.amber.host.agent.GuestOperationException;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.ExecExit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecTest {

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

    private static ExecResult shell(String script) throws Exception {
        return agent.run(ExecCommand.shell(script), null);
    }

    @Test
    void pythonInTheGuestComputes() throws Exception {
        ExecResult result = agent.run(ExecCommand.of("python3", "-c", "print(6*7)"), null);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("42\n");
    }

    @Test
    void rootDiskIsAsLargeAsRequested() throws Exception {
        ExecResult df = shell("df -BM --output=size / | tail -1");

        long sizeMb = Long.parseLong(df.stdoutText().strip().replace("M", ""));
        assertThat(sizeMb).isBetween(4800L, 5120L);
    }

    @Test
    void stdoutAndStderrArriveSeparately() throws Exception {
        ExecResult result = shell("echo to-out; echo to-err >&2; echo more-out");

        assertThat(result.stdoutText()).isEqualTo("to-out\nmore-out\n");
        assertThat(result.stderrText()).isEqualTo("to-err\n");
    }

    @Test
    void exitCodesArePassedThrough() throws Exception {
        assertThat(shell("true").exitCode()).isZero();
        assertThat(shell("exit 1").exitCode()).isEqualTo(1);
        assertThat(shell("kill -KILL $$").exitCode()).isEqualTo(137);
    }

    @Test
    void environmentAndWorkingDirectoryAreApplied() throws Exception {
        ExecResult result = agent.run(ExecCommand.shell("echo \"$GREETING\"; pwd")
                .withEnv(Map.of("GREETING", "hello sandbox")).withCwd("/usr/share"), null);

        assertThat(result.stdoutText()).isEqualTo("hello sandbox\n/usr/share\n");
    }

    @Test
    void stdinIsPipedToTheProcess() throws Exception {
        ExecResult result = agent.run(ExecCommand.of("sort"), "pear\napple\nfig\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result.stdoutText()).isEqualTo("apple\nfig\npear\n");
    }

    @Test
    void runsAsANonRootUser() throws Exception {
        ExecResult result = agent.run(ExecCommand.shell("id -un; id -u; echo $HOME; pwd; touch /root/denied")
                .withUser("amber"), null);

        assertThat(result.stdoutText()).isEqualTo("amber\n1000\n/home/amber\n/home/amber\n");
        assertThat(result.stderrText()).contains("Permission denied");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void timeoutKillsTheProcessAndItsChildren() throws Exception {
        ExecResult result = agent.run(ExecCommand.shell("sleep 300 & echo $! > /tmp/child; sleep 300")
                .withTimeout(Duration.ofSeconds(2)), null);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.durationMillis()).isBetween(1900L, 60_000L); // stopped by the timeout, long before its 300 s
        ExecResult child = shell("kill -0 $(cat /tmp/child) 2>/dev/null && echo alive || echo gone");
        assertThat(child.stdoutText()).isEqualTo("gone\n");
    }

    @Test
    void fiftyMegabytesOfOutputArriveCompleteAndInOrder() throws Exception {
        ExecResult made = shell("head -c 52428800 /dev/urandom > /root/big && sha256sum /root/big | cut -d' ' -f1");
        assertThat(made.exitCode()).isZero();

        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        CountingStream counter = new CountingStream();
        ExecExit exit = agent.exec(ExecCommand.of("cat", "/root/big"), AgentClient.DEFAULT_IDLE_TIMEOUT, null,
                new DigestOutputStream(counter, digest), OutputStream.nullOutputStream());

        assertThat(exit.exitCode()).isZero();
        assertThat(counter.count).isEqualTo(52_428_800L);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(made.stdoutText().strip());
    }

    @Test
    void missingProgramOrDirectoryOrUserIsReportedClearly() throws Exception {
        ExecResult missingProgram = agent.run(ExecCommand.of("no-such-program"), null);
        assertThat(missingProgram.exitCode()).isNotZero();
        assertThat(missingProgram.stderrText()).contains("no-such-program");

        assertThatThrownBy(() -> agent.run(ExecCommand.of("true").withCwd("/no/such/dir"), null))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("/no/such/dir");
        assertThatThrownBy(() -> agent.run(ExecCommand.of("true").withUser("nobody-here"), null))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("nobody-here");
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
