package dev.amber.it;

import dev.amber.api.sandbox.ExecResponse;
import dev.amber.api.snapshot.PatchView;
import dev.amber.api.template.TemplateStep;
import dev.amber.cli.AmberCli;
import dev.amber.sdk.Amber;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.sdk.Build;
import dev.amber.sdk.CommandEvent;
import dev.amber.sdk.CommandHandle;
import dev.amber.sdk.Sandbox;
import dev.amber.sdk.Snapshot;
import dev.amber.sdk.error.BadRequestException;
import dev.amber.sdk.error.NotFoundException;
import dev.amber.sdk.error.UnauthorizedException;
import dev.amber.sdk.error.UnprocessableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java SDK and the `amber` command against a real deployment. Runs alone: the CLI prints to
 * System.out, which it swaps for the call, and a class running beside it would print into what it
 * captures.
 */
@Isolated
class SdkAndCliTest {

    private static TestDeployment deployment;
    private static String key;

    @TempDir
    Path local;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.start();
        key = deployment.api().newTeam(deployment.adminKey(), "sdk-users");
    }

    @AfterAll
    static void stop() throws Exception {
        deployment.close();
    }

    @Test
    void sdkRunsCodeMovesFilesAndMapsErrorsToTypes() throws Exception {
        try (Amber amber = Amber.connect(deployment.url(), key)) {
            String id;
            try (Sandbox sandbox = amber.sandboxes().create(
                    request -> request.memoryMb(256).metadata(Map.of("owner", "sdk-test")))) {
                id = sandbox.id();
                sandbox.files().write("/root/hello.py", "print('hello from', 6*7)".getBytes(StandardCharsets.UTF_8), 0644);
                ExecResponse run = sandbox.exec("python3", "/root/hello.py");
                assertThat(run.stdout()).isEqualTo("hello from 42\n");
                assertThat(new String(sandbox.files().read("/root/hello.py"), StandardCharsets.UTF_8)).contains("6*7");
                assertThat(sandbox.files().list("/root")).anyMatch(entry -> entry.name().equals("hello.py"));
                assertThat(amber.sandboxes().list()).extracting(Sandbox::id).contains(id);
                assertThatThrownBy(() -> sandbox.files().read("/root/missing")).isInstanceOf(NotFoundException.class);
            }
            assertThat(amber.sandboxes().get(id).view().state()).isEqualTo("stopped");
            assertThatThrownBy(() -> amber.sandboxes().get("sb-00000000-0000-0000-0000-000000000000"))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> amber.sandboxes().create(request -> request.vcpus(0)))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("vcpus");
            assertThatThrownBy(() -> amber.sandboxes().fromTemplate("nope")).isInstanceOf(UnprocessableException.class);
        }
        try (Amber stranger = Amber.connect(deployment.url(), "amb_" + "0".repeat(40))) {
            assertThatThrownBy(() -> stranger.sandboxes().list()).isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void sdkStreamsCommandsReattachesAndSignalsThem() throws Exception {
        try (Amber amber = Amber.connect(deployment.url(), key);
             Sandbox sandbox = amber.sandboxes().create(request -> request.memoryMb(256))) {
            StringBuilder seen = new StringBuilder();
            CommandEvent.Exit exit;
            try (CommandHandle echo = sandbox.commands().start(ExecRequest.shell("read name; echo hello-$name; exit 3"),
                    event -> {
                        if (event instanceof CommandEvent.Stdout out) {
                            synchronized (seen) {
                                seen.append(out.text());
                            }
                        }
                    })) {
                echo.write("sdk\n");
                exit = echo.waitForExit(Duration.ofSeconds(60));
            }
            assertThat(exit.exitCode()).isEqualTo(3);
            assertThat(seen.toString()).isEqualTo("hello-sdk\n");

            long pid;
            try (CommandHandle ticker = sandbox.commands().start(
                    ExecRequest.shell("for i in $(seq 1 1000); do echo tick-$i; sleep 0.1; done").inBackground("ticks"))) {
                pid = ticker.pid();
                assertThat(ticker.next(Duration.ofSeconds(60))).isInstanceOf(CommandEvent.Stdout.class);
            }
            assertThat(sandbox.commands().list()).anySatisfy(process -> {
                assertThat(process.pid()).isEqualTo(pid);
                assertThat(process.state()).isEqualTo("running");
                assertThat(process.tag()).isEqualTo("ticks");
            });
            try (CommandHandle again = sandbox.commands().attach(pid)) {
                StringBuilder replay = new StringBuilder();
                boolean killSent = false;
                for (CommandEvent event : again.events()) {
                    if (event instanceof CommandEvent.Stdout out) {
                        replay.append(out.text());
                        // Once: output written before the kill may still arrive, and the process is gone by then.
                        if (!killSent && replay.toString().contains("tick-3\n")) {
                            again.signal("KILL");
                            killSent = true;
                        }
                    }
                    if (event instanceof CommandEvent.Exit killed) {
                        assertThat(killed.exitCode()).isEqualTo(137);
                        assertThat(killed.signal()).isEqualTo(9);
                    }
                }
                assertThat(replay.toString()).startsWith("tick-1\ntick-2\ntick-3\n");
            }
            assertThatThrownBy(() -> sandbox.commands().attach(999_999)).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void cliCreatesExecsCopiesAndRemoves() throws Exception {
        String id = cli("sandbox", "create", "--memory-mb", "256").stdout().strip();
        assertThat(id).startsWith("sb-");

        Result python = cli("sandbox", "exec", id, "--", "python3", "-c", "print(6*7)");
        assertThat(python.exitCode()).isZero();
        assertThat(python.stdout()).isEqualTo("42\n");
        assertThat(cli("sandbox", "exec", id, "--", "sh", "-c", "exit 5").exitCode()).isEqualTo(5);

        Path source = Files.writeString(local.resolve("notes.txt"), "copied through the CLI\n");
        assertThat(cli("files", "put", id, source.toString(), "/root/notes.txt").exitCode()).isZero();
        Path back = local.resolve("back.txt");
        assertThat(cli("files", "get", id, "/root/notes.txt", back.toString()).exitCode()).isZero();
        assertThat(Files.readString(back)).isEqualTo("copied through the CLI\n");

        Result shell = cliWithInput("echo shell-says-$((6*7))\nexit 5\n", "sandbox", "shell", id);
        assertThat(shell.exitCode()).as(shell.stderr()).isEqualTo(5);
        assertThat(shell.stdout()).contains("shell-says-42");

        assertThat(cli("sandbox", "ls").stdout()).contains(id).contains("running");
        assertThat(cli("sandbox", "rm", id).exitCode()).isZero();
        Result missing = cli("sandbox", "exec", "sb-00000000-0000-0000-0000-000000000000", "--", "true");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).startsWith("amber: ");
    }

    @Test
    void sdkPausesResumesAndStartsFromASnapshotThatTheCliLists() {
        // One file on the disk, one in /dev/shm, which only memory holds.
        Map<String, String> files = Map.of("/root/on-disk.txt", "kept on disk\n",
                "/dev/shm/in-memory.txt", "kept in RAM\n");
        String name = "sdk-snapshot";
        try (Amber amber = Amber.connect(deployment.url(), key);
             Sandbox source = amber.sandboxes().create(request -> request.memoryMb(256))) {
            files.forEach((path, text) -> source.files().write(path, text.getBytes(StandardCharsets.UTF_8), 0644));

            assertThat(source.pause().state()).isEqualTo("paused");
            assertThat(source.resume().state()).isEqualTo("running");
            assertHolds(source, files);

            Snapshot snapshot = source.snapshot(name);
            assertThat(snapshot.name()).isEqualTo(name);
            assertThat(snapshot.isCheckpoint()).isFalse();
            try (Sandbox copy = amber.sandboxes().fromSnapshot(name)) {
                assertThat(copy.view().memoryMb()).isEqualTo(256);
                assertHolds(copy, files);
            }

            Result listed = cli("snapshot", "ls", "--sandbox", source.id());
            assertThat(listed.exitCode()).isZero();
            assertThat(listed.stdout()).contains(snapshot.id()).contains(name);
            Result removed = cli("snapshot", "rm", name);
            assertThat(removed.exitCode()).as("deleted while the source's disk sits on it: " + removed.stderr())
                    .isZero();
            assertThatThrownBy(() -> amber.snapshots().get(name)).isInstanceOf(NotFoundException.class);
            assertHolds(source, files);
        }
        assertThat(cli("snapshot", "rm", name).exitCode()).as("gone already").isNotZero();
    }

    @Test
    void theCliBuildsATemplateThatTheSdkStartsFromAndPatches() throws Exception {
        Path recipe = local.resolve("recipe.json");
        Files.writeString(recipe, """
                {"name": "cli-made", "steps": [
                  {"type": "env", "env": {"WHO": "cli"}},
                  {"type": "run", "cmd": "echo built by $WHO > /root/made"}]}""");

        Result built = cli("template", "build", recipe.toString(), "--wait");

        assertThat(built.exitCode()).as(built.stderr()).isZero();
        assertThat(built.stdout()).contains("# step 1 run: echo built by $WHO > /root/made", "# template cli-made ready");
        assertThat(cli("template", "ls").stdout()).contains("cli-made").contains("snapshot").contains("ready");
        try (Amber amber = Amber.connect(deployment.url(), key)) {
            String snapshotId = amber.templates().get("cli-made").snapshotId();
            Result patched = cli("snapshot", "patch", snapshotId, "echo patched >> /root/made");
            assertThat(patched.stdout().strip()).isEqualTo("1");
            try (Sandbox sandbox = amber.sandboxes().fromTemplate("cli-made")) {
                assertThat(new String(sandbox.files().read("/root/made"), StandardCharsets.UTF_8))
                        .isEqualTo("built by cli\npatched\n");
                assertThat(sandbox.view().lastPatchSequence()).isEqualTo(1);
            }
            assertThat(amber.snapshots().get(snapshotId).patches()).extracting(PatchView::script)
                    .containsExactly("echo patched >> /root/made");
            Build failing = amber.templates().build("cli-broken", List.of(TemplateStep.run("exit 9")), null);
            assertThat(failing.await(Duration.ofMinutes(3)).error()).isEqualTo("step 0 (run) exited with 9");
        }
        assertThat(cli("template", "rm", "cli-made").exitCode()).isZero();
        Result gone = cli("template", "rm", "cli-made");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stderr()).contains("no template \"cli-made\"");
    }

    private static void assertHolds(Sandbox sandbox, Map<String, String> files) {
        files.forEach((path, text) ->
                assertThat(new String(sandbox.files().read(path), StandardCharsets.UTF_8)).as(path).isEqualTo(text));
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    /** Runs the `amber` command in this JVM, capturing what it prints. */
    private static Result cli(String... args) {
        return cliWithInput("", args);
    }

    /** Runs the CLI with {@code input} as its stdin. */
    private static synchronized Result cliWithInput(String input, String... args) {
        java.io.InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            System.setIn(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            int exit = AmberCli.commandLine().execute(withConnection(args));
            return new Result(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Connection options go before the `--` that starts a command's own arguments. */
    private static String[] withConnection(String[] args) {
        List<String> command = new ArrayList<>(List.of(args));
        int separator = command.indexOf("--");
        int at = separator < 0 ? command.size() : separator;
        command.add(at, "--api-key=" + key);
        command.add(at, "--url=" + deployment.url());
        return command.toArray(String[]::new);
    }
}
