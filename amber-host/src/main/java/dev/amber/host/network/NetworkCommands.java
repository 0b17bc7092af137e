package dev.amber.host.network;

import dev.amber.host.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** `ip` and `nft`, in the host's namespace or a sandbox's, each with a deadline and its stderr on failure. */
final class NetworkCommands {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private NetworkCommands() {}

    static void ip(String... args) throws IOException {
        run(command("ip", args));
    }

    static void ipIn(String namespace, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        run(command);
    }

    static void sysctlIn(String namespace, String setting) throws IOException {
        run(List.of("ip", "netns", "exec", namespace, "sysctl", "-q", "-w", setting));
    }

    /** Applies a ruleset atomically, in {@code namespace} (null: the host's); read from stdin, so no file is left. */
    static void nft(String namespace, String script) throws IOException {
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of("nft", "-f", "-"));
        CommandRunner.run(command, script, TIMEOUT);
    }

    static boolean linkExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    /** The processes inside a network namespace (`ip netns pids`). */
    static List<Long> pidsIn(String namespace) throws IOException {
        String output = CommandRunner.run(command("ip", "netns", "pids", namespace), TIMEOUT);
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    }

    static List<String> namespaces() throws IOException {
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(args));
        return command;
    }

    private static void run(List<String> command) throws IOException {
        CommandRunner.run(command, TIMEOUT);
    }
}
