package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.host.NumberedLines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Long-running and interactive work through the public API of a real deployment: streaming exec,
 * processes that outlive their socket and a pause, terminals, and a sandbox dying under a stream.
 */
class InteractiveApiTest {

    private static final Duration SOON = Duration.ofSeconds(60);
    private static TestDeployment amber;
    private static Api api;
    private static String key;
    private static String id;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "interactive");
        id = api.newSandbox(key);
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        amber.close();
    }

    private static ProcessSocketClient socket(String sandbox, String path) throws Exception {
        return ProcessSocketClient.connect(http, amber.url() + "/v1/sandboxes/" + sandbox + path, key);
    }

    @Test
    void aStreamedProcessShowsOutputAsItComesAndTakesInput() throws Exception {
        try (ProcessSocketClient exec = socket(id, "/exec/stream")) {
            exec.sendJson("{\"shell\":\"echo ready; read line; echo got-$line; echo warn >&2; exit 4\"}");
            JsonNode started = exec.awaitFrame("started", SOON);
            assertThat(started.path("process").path("state").asText()).isEqualTo("running");
            exec.awaitStdout(out -> out.contains("ready\n"), SOON); // printed while the process still waits for input
            exec.sendJson("{\"type\":\"stdin\",\"data\":\"hello\\n\"}");

            JsonNode exit = exec.awaitFrame("exit", SOON);
            assertThat(exit.path("exitCode").asInt()).isEqualTo(4);
            assertThat(exec.stdout()).isEqualTo("ready\ngot-hello\n");
            assertThat(exec.stderr()).isEqualTo("warn\n");
        }
    }

    @Test
    void aBackgroundProcessIsReattachedAfterPauseAndResumeWithEveryLineReplayedThenLive() throws Exception {
        long pid;
        String before;
        try (ProcessSocketClient exec = socket(id, "/exec/stream")) {
            exec.sendJson("{\"shell\":\"for i in $(seq 1 100000); do echo line-$i; sleep 0.1; done\","
                    + "\"background\":true,\"tag\":\"ticker\"}");
            pid = exec.awaitFrame("started", SOON).path("process").path("pid").asLong();
            before = exec.awaitStdout(out -> out.contains("line-5\n"), SOON);
        }
        JsonNode listed = api.call("GET", "/v1/sandboxes/" + id + "/processes", key, null).json();
        assertThat(listed.path("items")).anySatisfy(process -> {
            assertThat(process.path("pid").asLong()).isEqualTo(pid);
            assertThat(process.path("tag").asText()).isEqualTo("ticker");
            assertThat(process.path("state").asText()).isEqualTo("running");
            assertThat(process.path("background").asBoolean()).isTrue();
        });

        assertThat(api.call("POST", "/v1/sandboxes/" + id + "/pause", key, null).status()).isEqualTo(200);
        assertThat(api.call("POST", "/v1/sandboxes/" + id + "/resume", key, null).status()).isEqualTo(200);

        try (ProcessSocketClient attached = socket(id, "/processes/" + pid + "/stream")) {
            assertThat(attached.awaitFrame("started", SOON).path("process").path("pid").asLong()).isEqualTo(pid);
            int replayed = NumberedLines.in(attached.awaitStdout(out -> out.contains("line-1\n"), SOON)).size();
            String all = attached.awaitStdout(out -> NumberedLines.in(out).size() >= replayed + 10, SOON);
            List<Integer> numbers = NumberedLines.in(all);
            for (int i = 0; i < numbers.size(); i++) {
                assertThat(numbers.get(i)).as("line %d after re-attaching", i).isEqualTo(i + 1);
            }
            assertThat(numbers.size()).isGreaterThanOrEqualTo(NumberedLines.in(before).size() + 10);

            Api.Response signalled = api.call("POST", "/v1/sandboxes/" + id + "/processes/" + pid + "/signal", key,
                    "{\"signal\":\"TERM\"}");
            assertThat(signalled.status()).as(signalled.body()).isEqualTo(200);
            JsonNode exit = attached.awaitFrame("exit", SOON);
            assertThat(exit.path("exitCode").asInt()).isEqualTo(143);
            assertThat(exit.path("signal").asInt()).isEqualTo(15);
        }
    }

    @Test
    void aTerminalResizesAndCtrlCInterruptsTheForegroundJob() throws Exception {
        try (ProcessSocketClient pty = socket(id, "/pty?rows=24&cols=80")) {
            assertThat(pty.awaitFrame("started", SOON).path("process").path("terminal").asBoolean()).isTrue();
            pty.type("stty size\n");
            pty.awaitStdout(out -> out.contains("24 80"), SOON);

            pty.sendJson("{\"type\":\"resize\",\"rows\":40,\"cols\":132}");
            pty.type("stty size\n");
            pty.awaitStdout(out -> out.contains("40 132"), SOON);

            pty.type("sleep 300; echo slept\n");
            Thread.sleep(1000);
            pty.type("\u0003");
            pty.type("echo status=$?\n");
            String out = pty.awaitStdout(text -> text.contains("status=130"), SOON);
            assertThat(out).doesNotContainPattern("(?m)^slept\\r?$");

            pty.type("exit 3\n");
            assertThat(pty.awaitFrame("exit", SOON).path("exitCode").asInt()).isEqualTo(3);
        }
    }

    @Test
    void killingTheSandboxUnderAStreamEndsItWithAnErrorWithinTheDeadline() throws Exception {
        String doomed = api.newSandbox(key);
        try (ProcessSocketClient exec = socket(doomed, "/exec/stream")) {
            exec.sendJson("{\"shell\":\"while true; do echo tick; sleep 0.2; done\"}");
            exec.awaitStdout(out -> out.contains("tick\n"), SOON);
            long qemu = Processes.qemuOf(amber.data().resolve("sandboxes").resolve(doomed)).orElseThrow();
            long killed = System.nanoTime();
            ProcessHandle.of(qemu).orElseThrow().destroyForcibly();

            JsonNode error = exec.awaitFrame("error", Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(30));
            assertThat(error.path("message").asText()).isNotBlank();
            assertThat(exec.frames()).noneMatch(frame -> frame.path("type").asText().equals("exit"));
        } finally {
            api.call("DELETE", "/v1/sandboxes/" + doomed, key, null);
        }
    }

    @Test
    void aRunOnAFrozenSandboxFailsWithinItsDeadlineInsteadOfHanging() throws Exception {
        String frozen = api.newSandbox(key);
        long qemu = Processes.qemuOf(amber.data().resolve("sandboxes").resolve(frozen)).orElseThrow();
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(qemu)).start().waitFor();
            long started = System.nanoTime();
            Api.Response run = api.call("POST", "/v1/sandboxes/" + frozen + "/exec", key,
                    "{\"shell\":\"echo never\",\"deadlineSec\":5}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(run.status()).as(run.body()).isEqualTo(504);
            assertThat(run.errorMessage()).contains("nothing for 5 s");
            assertThat(took).isLessThan(Duration.ofSeconds(20));
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(qemu)).start().waitFor();
            api.call("DELETE", "/v1/sandboxes/" + frozen, key, null);
        }
    }

    @Test
    void badRequestsAreRefusedClearly() throws Exception {
        assertThatThrownBy(() -> socket(id, "/processes/999999/stream"))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> socket(id, "/pty?rows=0"))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> socket("sb-00000000-0000-0000-0000-000000000000", "/exec/stream"))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));

        Api.Response tooShort = api.call("POST", "/v1/sandboxes/" + id + "/exec", key, "{\"shell\":\"true\",\"deadlineSec\":2}");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.errorMessage()).contains("deadlineSec must be between 5 and 3600");

        Api.Response badSignal = api.call("POST", "/v1/sandboxes/" + id + "/processes/1/signal", key, "{\"signal\":\"NOPE\"}");
        assertThat(badSignal.status()).isEqualTo(400);
        assertThat(badSignal.errorMessage()).contains("unknown signal");
        Api.Response unknownPid = api.call("POST", "/v1/sandboxes/" + id + "/processes/999999/signal", key, "{\"signal\":\"TERM\"}");
        assertThat(unknownPid.status()).isEqualTo(404);

        try (ProcessSocketClient exec = socket(id, "/exec/stream")) {
            exec.sendJson("{\"shell\":\"true\",\"bogus\":1}");
            JsonNode error = exec.awaitFrame("error", SOON);
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(error.path("message").asText()).contains("bogus");
        }
    }
}
