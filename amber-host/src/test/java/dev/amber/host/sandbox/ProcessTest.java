package dev.amber.host.sandbox;

import dev.amber.host.NumberedLines;
import dev.amber.host.TestRuntime;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ProcessSession;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.message.WindowSize;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Processes the guest agent keeps track of: replay on re-attach, across pause and resume; terminals; signals. */
class ProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static Sandbox sandbox;

    @BeforeAll
    static void boot() throws Exception {
        sandbox = TestRuntime.boot();
    }

    @AfterAll
    static void destroy() throws Exception {
        TestRuntime.get().destroy(sandbox.id());
    }

    private static AgentClient agent() throws Exception {
        return TestRuntime.get().find(sandbox.id()).orElseThrow().agent();
    }

    private static Request.Start start(String script, boolean background, WindowSize terminal) {
        return new Request.Start(List.of("/bin/bash", "-c", script), Map.of(), null, null, 0, "test", background, terminal);
    }

    /** Reads events into {@code out} until its text satisfies {@code until}; returns the exit if one came first. */
    private static ExecExit readUntil(ProcessSession session, StringBuilder out, Predicate<String> until) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!until.test(out.toString()) && System.nanoTime() < end) {
            ProcessSession.Event event = session.next();
            switch (event) {
                case null -> {
                    return null;
                }
                case ProcessSession.Event.Output(int tag, byte[] data) -> out.append(new String(data, StandardCharsets.UTF_8));
                case ProcessSession.Event.Dropped dropped -> out.append("[dropped ").append(dropped.totalBytes()).append("]");
                case ProcessSession.Event.Exited(ExecExit exit) -> {
                    return exit;
                }
            }
        }
        return null;
    }

    @Test
    void aBackgroundProcessRunsOnThroughDetachPauseAndResumeAndReplaysEveryLine() throws Exception {
        long pid;
        StringBuilder first = new StringBuilder();
        try (ProcessSession session = agent().start(start(
                "for i in $(seq 1 100000); do echo line-$i; sleep 0.1; done", true, null), DEADLINE)) {
            pid = session.info().pid();
            readUntil(session, first, text -> text.contains("line-3\n"));
        }
        assertThat(NumberedLines.in(first.toString())).startsWith(1, 2, 3);

        TestRuntime.get().pause(sandbox.id());
        TestRuntime.get().resume(sandbox.id(), NetworkPolicy.DEFAULT);
        assertThat(agent().processes()).anySatisfy(process -> {
            assertThat(process.pid()).isEqualTo(pid);
            assertThat(process.running()).isTrue();
            assertThat(process.tag()).isEqualTo("test");
        });

        StringBuilder again = new StringBuilder();
        try (ProcessSession session = agent().attach(pid, DEADLINE)) {
            readUntil(session, again, text -> text.contains("line-1\n"));
            int retained = NumberedLines.in(again.toString()).size();
            readUntil(session, again, text -> NumberedLines.in(text).size() >= retained + 10);
        }
        List<Integer> numbers = NumberedLines.in(again.toString());
        assertThat(numbers.getFirst()).isEqualTo(1);
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as("line %d of the replay", i).isEqualTo(i + 1);
        }
        assertThat(numbers.size()).isGreaterThanOrEqualTo(NumberedLines.in(first.toString()).size() + 10);
        agent().signal(pid, 9);
    }

    @Test
    void aTerminalHasTheSizeItIsGivenAndCtrlCInterruptsTheForegroundJob() throws Exception {
        try (ProcessSession session = agent().start(new Request.Start(List.of("/bin/bash"), Map.of("PS1", "$ "), null,
                null, 0, null, false, new WindowSize(24, 80)), DEADLINE)) {
            StringBuilder out = new StringBuilder();
            session.write("stty size\n".getBytes(StandardCharsets.UTF_8));
            readUntil(session, out, text -> text.contains("24 80"));
            assertThat(out.toString()).contains("24 80");

            session.resize(new WindowSize(40, 132));
            session.write("stty size\n".getBytes(StandardCharsets.UTF_8));
            readUntil(session, out, text -> text.contains("40 132"));
            assertThat(out.toString()).contains("40 132");

            session.write("sleep 300; echo slept\n".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(1000);
            session.write(new byte[] {3});
            session.write("echo status=$?\n".getBytes(StandardCharsets.UTF_8));
            readUntil(session, out, text -> text.contains("status=130"));
            assertThat(out.toString()).contains("status=130").doesNotContainPattern("(?m)^slept\\r?$");

            session.write("exit 7\n".getBytes(StandardCharsets.UTF_8));
            ExecExit exit = readUntil(session, out, text -> false);
            assertThat(exit).isNotNull();
            assertThat(exit.exitCode()).isEqualTo(7);
        }
    }

    @Test
    void outputBeyondTheBoundIsDroppedOldestFirstAndMarked() throws Exception {
        long pid;
        try (ProcessSession session = agent().start(start(
                "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo END", true, null), DEADLINE)) {
            pid = session.info().pid();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> agent().processes().stream()
                .anyMatch(process -> process.pid() == pid && !process.running()));

        try (ProcessSession session = agent().attach(pid, DEADLINE)) {
            List<ProcessSession.Event> events = new ArrayList<>();
            ProcessSession.Event event;
            while ((event = session.next()) != null) {
                events.add(event);
            }
            assertThat(events.getFirst()).isInstanceOfSatisfying(ProcessSession.Event.Dropped.class, dropped -> {
                assertThat(dropped.tag()).isEqualTo(Tags.STDOUT);
                assertThat(dropped.totalBytes()).isBetween(3_000_005L - 1024 * 1024, 3_000_005L - 900_000);
            });
            ByteArrayOutputStream replayed = new ByteArrayOutputStream();
            events.stream().filter(e -> e instanceof ProcessSession.Event.Output)
                    .forEach(e -> replayed.writeBytes(((ProcessSession.Event.Output) e).data()));
            assertThat(replayed.size()).isLessThanOrEqualTo(1024 * 1024);
            assertThat(replayed.toString(StandardCharsets.UTF_8)).endsWith("xxx\nEND\n");
            assertThat(events.getLast()).isEqualTo(new ProcessSession.Event.Exited(((ProcessSession.Event.Exited) events.getLast()).exit()));
        }
    }

    @Test
    void aSignalEndsTheProcessGroupAndIsReportedInTheExit() throws Exception {
        long pid;
        try (ProcessSession session = agent().start(start("sleep 300 & sleep 300", true, null), DEADLINE)) {
            pid = session.info().pid();
        }
        ProcessInfo signalled = agent().signal(pid, 15);
        assertThat(signalled.pid()).isEqualTo(pid);
        try (ProcessSession session = agent().attach(pid, DEADLINE)) {
            ExecExit exit = readUntil(session, new StringBuilder(), text -> false);
            assertThat(exit.exitCode()).isEqualTo(143);
            assertThat(exit.signal()).isEqualTo(15);
        }
        assertThat(agent().run(dev.amber.host.agent.ExecCommand.shell("pgrep -x sleep || echo none"), null).stdoutText())
                .isEqualTo("none\n");
    }

    @Test
    void aProcessNotInTheBackgroundDiesWhenItsStarterDetaches() throws Exception {
        long pid;
        try (ProcessSession session = agent().start(start("sleep 301", false, null), DEADLINE)) {
            pid = session.info().pid();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> agent().processes().stream()
                .anyMatch(process -> process.pid() == pid && !process.running()));
    }
}
