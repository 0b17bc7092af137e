package dev.amber.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmberCliTest {

    @Test
    void sandboxCreateTakesResourcesAndRepeatedMetadata() {
        ParseResult create = leaf("sandbox", "create", "--template", "python", "--vcpus", "2", "--memory-mb", "1024",
                "--disk-mb", "8192", "--metadata", "owner=alice", "--metadata", "run=42");

        assertThat(create.commandSpec().qualifiedName()).isEqualTo("amber sandbox create");
        assertThat(create.<String>matchedOptionValue("--template", null)).isEqualTo("python");
        assertThat(create.<Integer>matchedOptionValue("--vcpus", null)).isEqualTo(2);
        assertThat(create.<Integer>matchedOptionValue("--memory-mb", null)).isEqualTo(1024);
        assertThat(create.<Long>matchedOptionValue("--disk-mb", null)).isEqualTo(8192L);
        assertThat(create.<Map<String, String>>matchedOptionValue("--metadata", null))
                .containsExactlyInAnyOrderEntriesOf(Map.of("owner", "alice", "run", "42"));
    }

    @Test
    void sandboxCreateNeedsNoOptions() {
        ParseResult create = leaf("sandbox", "create");

        assertThat(create.matchedOptions()).isEmpty();
    }

    @Test
    void sandboxLsTakesConnectionOptions() {
        ParseResult ls = leaf("sandbox", "ls", "--url", "http://amber:7070", "--api-key", "amb_secret");

        assertThat(ls.commandSpec().qualifiedName()).isEqualTo("amber sandbox ls");
        assertThat(ls.<String>matchedOptionValue("--url", null)).isEqualTo("http://amber:7070");
        assertThat(ls.<String>matchedOptionValue("--api-key", null)).isEqualTo("amb_secret");
    }

    @Test
    void urlDefaultsToEnvironmentOrLocalhost() {
        ParseResult ls = leaf("sandbox", "ls");
        String expected = System.getenv().getOrDefault("AMBER_URL", "http://localhost:7070");

        assertThat(ls.commandSpec().findOption("--url").<String>getValue()).isEqualTo(expected);
    }

    @Test
    void sandboxExecTakesItsOptionsBeforeTheCommandAndEverythingAfterDashDash() {
        ParseResult exec = leaf("sandbox", "exec", "sb-1", "--user", "root", "--cwd", "/work", "--env", "A=1",
                "--env", "B=x=y", "--timeout", "30", "--", "ls", "-la", "--color", "/tmp");

        assertThat(exec.commandSpec().qualifiedName()).isEqualTo("amber sandbox exec");
        assertThat(exec.<String>matchedPositionalValue(0, null)).isEqualTo("sb-1");
        assertThat(exec.<List<String>>matchedPositionalValue(1, null)).containsExactly("ls", "-la", "--color", "/tmp");
        assertThat(exec.<String>matchedOptionValue("--user", null)).isEqualTo("root");
        assertThat(exec.<String>matchedOptionValue("--cwd", null)).isEqualTo("/work");
        assertThat(exec.<Map<String, String>>matchedOptionValue("--env", null))
                .containsExactlyInAnyOrderEntriesOf(Map.of("A", "1", "B", "x=y"));
        assertThat(exec.<Integer>matchedOptionValue("--timeout", null)).isEqualTo(30);
    }

    @Test
    void sandboxExecWithoutCommandIsAUsageError() {
        assertThatThrownBy(() -> AmberCli.commandLine().parseArgs("sandbox", "exec", "sb-1"))
                .isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageContaining("<command>");
    }

    @Test
    void sandboxRmTakesTheId() {
        ParseResult rm = leaf("sandbox", "rm", "sb-1");

        assertThat(rm.commandSpec().qualifiedName()).isEqualTo("amber sandbox rm");
        assertThat(rm.<String>matchedPositionalValue(0, null)).isEqualTo("sb-1");
    }

    @Test
    void sandboxStateCommandsTakeTheId() {
        for (String command : List.of("pause", "resume", "checkpoint")) {
            ParseResult parsed = leaf("sandbox", command, "sb-1");

            assertThat(parsed.commandSpec().qualifiedName()).isEqualTo("amber sandbox " + command);
            assertThat(parsed.<String>matchedPositionalValue(0, null)).isEqualTo("sb-1");
        }
    }

    @Test
    void sandboxRestoreTakesTheSandboxThenTheCheckpoint() {
        ParseResult restore = leaf("sandbox", "restore", "sb-1", "snap-c1");

        assertThat(restore.<String>matchedPositionalValue(0, null)).isEqualTo("sb-1");
        assertThat(restore.<String>matchedPositionalValue(1, null)).isEqualTo("snap-c1");
    }

    @Test
    void sandboxForkMakesOneCopyUnlessToldMore() {
        assertThat(leaf("sandbox", "fork", "sb-1").commandSpec().findOption("-n").<Integer>getValue()).isEqualTo(1);
        assertThat(leaf("sandbox", "fork", "sb-1", "-n", "3").<Integer>matchedOptionValue("--count", null)).isEqualTo(3);
    }

    @Test
    void sandboxForkRefusesNoCopiesBeforeCallingTheServer() {
        Run run = execute("sandbox", "fork", "sb-1", "-n", "0", "--api-key", "amb_test");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("amber: --count must be at least 1");
    }

    @Test
    void sandboxSnapshotTakesTheSandboxThenTheName() {
        ParseResult snapshot = leaf("sandbox", "snapshot", "sb-1", "with-deps");

        assertThat(snapshot.commandSpec().qualifiedName()).isEqualTo("amber sandbox snapshot");
        assertThat(snapshot.<String>matchedPositionalValue(1, null)).isEqualTo("with-deps");
    }

    @Test
    void sandboxCreateFromASnapshotRefusesResourcesOfItsOwn() {
        assertThat(leaf("sandbox", "create", "--snapshot", "with-deps").<String>matchedOptionValue("--snapshot", null))
                .isEqualTo("with-deps");

        Run run = execute("sandbox", "create", "--snapshot", "with-deps", "--memory-mb", "512", "--api-key", "amb_test");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("amber: --snapshot takes").contains("--memory-mb");
    }

    @Test
    void snapshotLsFiltersBySandboxAndKind() {
        ParseResult ls = leaf("snapshot", "ls", "--sandbox", "sb-1", "--kind", "checkpoint");

        assertThat(ls.commandSpec().qualifiedName()).isEqualTo("amber snapshot ls");
        assertThat(ls.<String>matchedOptionValue("--sandbox", null)).isEqualTo("sb-1");
        assertThat(ls.<String>matchedOptionValue("--kind", null)).isEqualTo("checkpoint");
        assertThat(leaf("snapshot", "ls").matchedOptions()).isEmpty();
    }

    @Test
    void snapshotRmTakesAnIdOrName() {
        ParseResult rm = leaf("snapshot", "rm", "with-deps");

        assertThat(rm.commandSpec().qualifiedName()).isEqualTo("amber snapshot rm");
        assertThat(rm.<String>matchedPositionalValue(0, null)).isEqualTo("with-deps");
    }

    @Test
    void filesPutReadsTheModeAsOctal() {
        ParseResult put = leaf("files", "put", "sb-1", "notes.txt", "/home/amber/notes.txt", "--mode", "755");

        assertThat(put.commandSpec().qualifiedName()).isEqualTo("amber files put");
        assertThat(put.<String>matchedPositionalValue(0, null)).isEqualTo("sb-1");
        assertThat(put.<Path>matchedPositionalValue(1, null)).isEqualTo(Path.of("notes.txt"));
        assertThat(put.<String>matchedPositionalValue(2, null)).isEqualTo("/home/amber/notes.txt");
        assertThat(put.<Integer>matchedOptionValue("--mode", null)).isEqualTo(0755);
    }

    @Test
    void filesPutModeDefaultsTo644() {
        ParseResult put = leaf("files", "put", "sb-1", "notes.txt", "/home/amber/notes.txt");

        assertThat(put.commandSpec().findOption("--mode").<Integer>getValue()).isEqualTo(0644);
    }

    @Test
    void filesPutRefusesANonOctalMode() {
        assertThatThrownBy(() -> AmberCli.commandLine().parseArgs("files", "put", "sb-1", "a", "/a", "--mode", "9"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("not an octal mode");
    }

    @Test
    void filesGetTakesRemoteThenLocal() {
        ParseResult get = leaf("files", "get", "sb-1", "/etc/os-release", "os-release");

        assertThat(get.commandSpec().qualifiedName()).isEqualTo("amber files get");
        assertThat(get.<String>matchedPositionalValue(1, null)).isEqualTo("/etc/os-release");
        assertThat(get.<Path>matchedPositionalValue(2, null)).isEqualTo(Path.of("os-release"));
    }

    @Test
    void hostTokenLastsAnHourUnlessToldOtherwise() {
        assertThat(leaf("host", "token").commandSpec().findOption("--ttl").<Integer>getValue()).isEqualTo(3600);
        ParseResult token = leaf("host", "token", "--ttl", "600", "--team");

        assertThat(token.commandSpec().qualifiedName()).isEqualTo("amber host token");
        assertThat(token.<Integer>matchedOptionValue("--ttl", null)).isEqualTo(600);
        assertThat(token.<Boolean>matchedOptionValue("--team", false)).isTrue();
    }

    @Test
    void hostJoinTakesEachServerReplicaSeparatedByCommas() {
        ParseResult join = leaf("host", "join", "--server", "10.0.0.1:7071, amber-2.internal:7071,[fd00::4]:7071");

        assertThat(join.commandSpec().qualifiedName()).isEqualTo("amber host join");
        assertThat(join.<List<String>>matchedOptionValue("--server", null))
                .containsExactly("10.0.0.1:7071", "amber-2.internal:7071", "[fd00::4]:7071");
    }

    @Test
    void hostJoinRefusesAServerThatIsNotHostAndPort() {
        for (String bad : List.of("10.0.0.1", "10.0.0.1:7071,10.0.0.4", "10.0.0.1:70710", "10.0.0.1:0", "a b:7071", ":7071")) {
            Run run = execute("host", "join", "--server", bad);

            assertThat(run.exitCode()).as(bad).isEqualTo(2);
            assertThat(run.err()).as(bad).startsWith("amber: Invalid value for option '--server'")
                    .contains("is not a server's link address host:port, like 10.0.0.1:7071");
        }
    }

    @Test
    void usageErrorsPrintOneAmberLineAndExit2() {
        Run run = execute("sandbox", "lss");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("amber: Unmatched argument").contains("Try 'amber sandbox --help'.");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void apiFailuresPrintOneAmberLineAndExit1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run run = execute("sandbox", "ls", "--url", "http://127.0.0.1:" + closedPort, "--api-key", "amb_test");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("amber: cannot reach Amber at http://127.0.0.1:" + closedPort
                + " (ConnectException); is the server running and is the URL right?" + System.lineSeparator());
    }

    @Test
    void helpAndVersionExit0() {
        assertThat(execute("--help").exitCode()).isZero();
        assertThat(execute("sandbox", "exec", "--help").out()).contains("<command>");
        assertThat(execute("--version").out()).startsWith("amber ");
    }

    /** The innermost subcommand the arguments select. */
    private static ParseResult leaf(String... args) {
        ParseResult result = AmberCli.commandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result;
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = AmberCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {}
}
