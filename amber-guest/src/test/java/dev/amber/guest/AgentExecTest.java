package dev.amber.guest;

import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Exec through the agent's real entry point: real processes of this machine, in sessions of their own. */
@Timeout(60)
class AgentExecTest {

    @RegisterExtension
    final GuestAgent agent = new GuestAgent();

    private static Request.Exec sh(String script, Map<String, String> env, String cwd, long timeoutMillis) {
        return new Request.Exec(List.of("/bin/sh", "-c", script), env, cwd, null, timeoutMillis);
    }

    @Test
    void execStreamsStdoutAndStderrApartAndEndsWithTheExitCode() throws Exception {
        GuestAgent.Answer answer = agent.call(sh("echo hi; echo err >&2; exit 3", Map.of(), null, 0));

        assertThat(answer.text(Tags.STDOUT)).isEqualTo("hi\n");
        assertThat(answer.text(Tags.STDERR)).isEqualTo("err\n");
        assertThat(answer.tags().getLast()).isEqualTo(Tags.REPLY);
        ExecExit exit = ExecExit.decode(answer.only(Tags.REPLY));
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.timedOut()).isFalse();
        assertThat(exit.signal()).isZero();
    }

    @Test
    void execRunsInTheGivenDirectoryWithACleanEnvironmentAndTheGivenVariables(@TempDir Path directory) throws Exception {
        GuestAgent.Answer answer = agent.call(sh("pwd; echo \"$GREETING\"; echo \"${JAVA_HOME-unset}\"; echo \"$LANG\"",
                Map.of("GREETING", "hello"), directory.toString(), 0));

        assertThat(answer.text(Tags.STDOUT).lines().toList())
                .containsExactly(directory.toRealPath().toString(), "hello", "unset", "C.UTF-8");
    }

    @Test
    void execWithoutADirectoryRunsInTheUsersHome() throws Exception {
        GuestAgent.Answer answer = agent.call(sh("pwd; echo \"$HOME\"; echo \"$USER\"", Map.of(), null, 0));

        assertThat(answer.text(Tags.STDOUT).lines().toList()).containsExactly("/root", "/root", "root");
    }

    @Test
    void execInAMissingDirectoryIsNotFound() throws Exception {
        GuestAgent.Answer answer = agent.call(sh("true", Map.of(), "/no/such/directory", 0));

        assertThat(answer.error().code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(answer.error().message()).contains("/no/such/directory");
    }

    @Test
    void stdinFromTheHostReachesTheProcessAndItsEndClosesIt() throws Exception {
        Stream stream = agent.open(new Request.Exec(List.of("/bin/cat"), Map.of(), null, null, 0));
        stream.send(Tags.STDIN, "from the host\n".getBytes(StandardCharsets.UTF_8));
        stream.end();

        GuestAgent.Answer answer = GuestAgent.Answer.readFrom(stream);
        assertThat(answer.text(Tags.STDOUT)).isEqualTo("from the host\n");
        assertThat(ExecExit.decode(answer.only(Tags.REPLY)).exitCode()).isZero();
    }

    @Test
    void timeoutKillsTheWholeProcessGroupChildrenIncluded() throws Exception {
        GuestAgent.Answer answer = agent.call(sh("sleep 300 & echo $!; wait", Map.of(), null, 1_000));

        ExecExit exit = ExecExit.decode(answer.only(Tags.REPLY));
        assertThat(exit.timedOut()).isTrue();
        assertThat(exit.signal()).isEqualTo(9);
        long child = Long.parseLong(answer.text(Tags.STDOUT).strip());
        assertThat(Processes.endsWithin(child, 10_000)).as("the background child " + child + " is gone").isTrue();
    }
}
