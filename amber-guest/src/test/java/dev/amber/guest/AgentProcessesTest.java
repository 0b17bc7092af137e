package dev.amber.guest;

import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.OutputDropped;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracked processes through the agent's real entry point: they outlive their stream and replay their output. */
@Timeout(60)
class AgentProcessesTest {

    /** What the agent retains of each stream of a tracked process. */
    private static final int RETAINED_BYTES = 1024 * 1024;

    @RegisterExtension
    final GuestAgent agent = new GuestAgent();

    /** Starts {@code script} in the background and detaches at once; returns its pid. */
    private long startDetached(String script) throws Exception {
        Stream stream = agent.open(new Request.Start(List.of("/bin/sh", "-c", script), Map.of(), null, null, 0,
                "test", true, null));
        Message reply = stream.receive(Duration.ofSeconds(30));
        assertThat(reply.tag()).isEqualTo(Tags.REPLY);
        stream.end();
        return ProcessInfo.decode(reply.data()).pid();
    }

    private ProcessInfo awaitExit(long pid) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            ProcessInfo info = ProcessInfo.decodeList(agent.call(new Request.ListProcesses()).only(Tags.REPLY)).stream()
                    .filter(process -> process.pid() == pid).findFirst().orElseThrow();
            if (info.exit() != null) {
                return info;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("process " + pid + " still runs after 30 s");
    }

    /** Attaches and stays attached (the host ending its side would detach) until the agent ends the stream. */
    private GuestAgent.Answer attach(long pid) throws Exception {
        Stream stream = agent.open(new Request.Attach(pid));
        GuestAgent.Answer answer = GuestAgent.Answer.readFrom(stream);
        stream.end();
        return answer;
    }

    @Test
    void laterAttachReplaysTheInfoThenTheOutputThenTheExit() throws Exception {
        long pid = startDetached("echo one; echo two >&2; echo three; exit 4");
        awaitExit(pid);

        GuestAgent.Answer answer = attach(pid);

        assertThat(ProcessInfo.decode(answer.messages().getFirst().data()).pid()).isEqualTo(pid);
        assertThat(answer.text(Tags.STDOUT)).isEqualTo("one\nthree\n");
        assertThat(answer.text(Tags.STDERR)).isEqualTo("two\n");
        assertThat(answer.tags().getFirst()).isEqualTo(Tags.REPLY);
        assertThat(answer.tags().getLast()).isEqualTo(Tags.EXIT);
        assertThat(ExecExit.decode(answer.only(Tags.EXIT)).exitCode()).isEqualTo(4);
    }

    @Test
    void outputBeyondTheBoundIsReplayedAfterADroppedNoticeCountingWhatWasCut() throws Exception {
        int total = 3 * RETAINED_BYTES;
        long pid = startDetached("head -c " + total + " /dev/zero");
        awaitExit(pid);

        GuestAgent.Answer answer = attach(pid);

        assertThat(answer.tags().subList(0, 2)).containsExactly(Tags.REPLY, Tags.DROPPED);
        OutputDropped dropped = OutputDropped.decode(answer.only(Tags.DROPPED));
        assertThat(dropped.tag()).isEqualTo(Tags.STDOUT);
        int replayed = answer.bytes(Tags.STDOUT).length;
        assertThat(replayed).isPositive().isLessThanOrEqualTo(RETAINED_BYTES);
        assertThat(dropped.totalBytes() + replayed).isEqualTo(total);
    }

    @Test
    void signalReachesTheTrackedProcessAndItsExitNamesTheSignal() throws Exception {
        long pid = startDetached("exec sleep 300");

        ProcessInfo signalled = ProcessInfo.decode(agent.call(new Request.Signal(pid, 15)).only(Tags.REPLY));

        assertThat(signalled.pid()).isEqualTo(pid);
        ExecExit exit = awaitExit(pid).exit();
        assertThat(exit.exitCode()).isEqualTo(128 + 15);
        assertThat(exit.signal()).isEqualTo(15);
    }

    @Test
    void processStartedInTheForegroundDiesWithItsStream() throws Exception {
        Stream stream = agent.open(new Request.Start(List.of("/bin/sleep", "300"), Map.of(), null, null, 0, null, false, null));
        long pid = ProcessInfo.decode(stream.receive(Duration.ofSeconds(30)).data()).pid();

        stream.end();

        assertThat(awaitExit(pid).exit().exitCode()).isNotZero();
    }
}
