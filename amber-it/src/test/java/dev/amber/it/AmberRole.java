package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `./amber server` or `./amber host join` as a process of its own inside a machine's network
 * namespace (entered with nsenter, which leaves /sys and its cgroup mounts as they are), on a data
 * directory of its own, with the jars and image the surrounding `./amber test` built.
 */
final class AmberRole {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Settings of the machine rather than of a deployment: where setup put the images, which accelerator. */
    private static final Set<String> MACHINE_SETTINGS = Set.of("AMBER_HOME", "AMBER_ACCELERATOR");

    private final NetworkNamespaces.Machine machine;
    private final Path data;
    private final List<String> arguments;
    private final Map<String, String> settings;
    private Process process;

    private AmberRole(NetworkNamespaces.Machine machine, Path data, List<String> arguments, Map<String, String> settings) {
        this.machine = machine;
        this.data = data;
        this.arguments = arguments;
        this.settings = settings;
    }

    /** `amber server` listening on the machine's address; {@link #start} it. */
    static AmberRole server(NetworkNamespaces.Machine machine, Path data) {
        return new AmberRole(machine, data, List.of("server"), Map.of("AMBER_BIND", machine.address(),
                "AMBER_ALLOW_ROOT", "1", "AMBER_HOST_TIMEOUT_SEC", "12"));
    }

    /** `amber host join` of the server at {@code server} (address:port), named {@code name}. */
    static AmberRole host(NetworkNamespaces.Machine machine, Path data, String server, String token, String name) {
        List<String> arguments = new ArrayList<>(List.of("host", "join", "--server", server, "--name", name));
        if (token != null) {
            arguments.addAll(List.of("--token", token));
        }
        return new AmberRole(machine, data, arguments, Map.of("AMBER_BIND", machine.address(),
                "AMBER_HOST_ADDRESS", machine.address(), "AMBER_PRESTARTED", "0"));
    }

    /** This role with {@code more} settings (environment variables) besides its own. */
    AmberRole withSettings(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(more);
        return new AmberRole(machine, data, arguments, all);
    }

    /** This role again with other arguments (a host's restart needs no token). */
    AmberRole withArguments(List<String> other) {
        return new AmberRole(machine, data, other, settings);
    }

    List<String> arguments() {
        return arguments;
    }

    AmberRole start() throws IOException {
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + machine.namespace(),
                PROJECT.resolve("amber").toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("role.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("AMBER_") && !MACHINE_SETTINGS.contains(name));
        builder.environment().putAll(settings);
        builder.environment().put("AMBER_DATA", data.toString());
        builder.environment().put("AMBER_PREBUILT", "1");
        process = builder.start();
        return this;
    }

    NetworkNamespaces.Machine machine() {
        return machine;
    }

    Path data() {
        return data;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as systemd's stop: a host pauses its running sandboxes first. */
    void stop() throws InterruptedException {
        if (!alive()) {
            return;
        }
        process.destroy();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("did not stop: %s", log()).isTrue();
    }

    /** SIGKILL, as a machine that dies: nothing of it gets to pause or save anything. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        for (long pid : Processes.qemusMentioning(data)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** After a test: stops it, and kills the QEMUs it may have left. */
    void cleanUp() throws InterruptedException {
        stop();
        for (long pid : Processes.qemusMentioning(data)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Real curl from inside this machine's namespace; the body as JSON and the status (0: no answer). */
    Response curl(String key, String method, String url, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + machine.namespace(),
                "curl", "-sS", "-w", "\n%{http_code}", "-X", method, url));
        if (key != null) {
            command.addAll(List.of("-H", "X-API-Key: " + key));
        }
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(180, TimeUnit.SECONDS)).isTrue();
        if (curl.exitValue() != 0) {
            return new Response(0, JSON.createObjectNode()); // no answer: not listening (yet), or the connection broke
        }
        int newline = output.lastIndexOf('\n');
        int status = Integer.parseInt(output.substring(newline + 1).strip());
        String text = output.substring(0, Math.max(newline, 0));
        return new Response(status, text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
    }

    record Response(int status, JsonNode json) {
    }

    String log() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("role.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
