package dev.amber.guest.system;

import dev.amber.guest.exec.Heartbeat;

import dev.amber.guest.Replies;
import dev.amber.protocol.message.Facts;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Health, wall clock and entropy: what the host needs to keep a (restored) guest honest. */
public final class SystemHandler {

    public static final String AGENT_VERSION = "0.1.0";

    private final AgentStartup startup;

    public SystemHandler(AgentStartup startup) {
        this.startup = requireNonNull(startup, "startup");
    }

    public void health(Stream stream) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>(startup.facts());
        facts.put("agentUptimeMillis", Long.toString(System.currentTimeMillis() - startup.readyAtMillis()));
        facts.put("hostname", readTrimmed(Path.of("/proc/sys/kernel/hostname")));
        Replies.ok(stream, new Facts(facts).encode());
    }

    public void setClock(Stream stream, Request.SetClock request) throws IOException {
        try {
            Libc.setRealtimeClock(request.epochMillis());
        } catch (NativeCalls.NativeException e) {
            throw new IOException(e.getMessage(), e);
        }
        Replies.ok(stream, new Facts(Map.of("epochMillis", Long.toString(System.currentTimeMillis()))).encode());
    }

    public void reseed(Stream stream, Request.Reseed request) throws IOException {
        try {
            Libc.addEntropyAndReseed(request.entropy());
        } catch (NativeCalls.NativeException e) {
            throw new IOException(e.getMessage(), e);
        }
        Replies.ok(stream, new Facts(Map.of("bytes", Integer.toString(request.entropy().length))).encode());
    }

    /** The kernel's hostname is a sysctl file: no native call needed. */
    public void setHostname(Stream stream, Request.SetHostname request) throws IOException {
        String hostname = request.hostname();
        if (!hostname.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}")) {
            throw new IllegalArgumentException("invalid hostname: " + hostname);
        }
        Files.writeString(Path.of("/proc/sys/kernel/hostname"), hostname);
        Files.writeString(Path.of("/etc/hostname"), hostname + "\n");
        Replies.ok(stream, new Facts(Map.of("hostname", hostname)).encode());
    }

    static String readTrimmed(Path path) {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** When and how fast the agent came up, reported in its hello and in health. */
    public record AgentStartup(long readyAtMillis, long jvmStartupMillis, String kernel, String kernelUptimeAtReady) {

        public static AgentStartup now() {
            long now = System.currentTimeMillis();
            long jvmStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(now);
            String uptime = readTrimmed(Path.of("/proc/uptime"));
            return new AgentStartup(now, now - jvmStart, readTrimmed(Path.of("/proc/sys/kernel/osrelease")),
                    uptime.contains(" ") ? uptime.substring(0, uptime.indexOf(' ')) : uptime);
        }

        public Map<String, String> facts() {
            return Map.of(
                    "agentVersion", AGENT_VERSION,
                    "protocolVersion", Integer.toString(Hello.PROTOCOL_VERSION),
                    "jvmStartupMillis", Long.toString(jvmStartupMillis),
                    "kernel", kernel,
                    "kernelUptimeAtReadySeconds", kernelUptimeAtReady,
                    // Process streams carry a heartbeat this often: hosts may then bound a call by the guest's silence.
                    "heartbeatMillis", Long.toString(Heartbeat.INTERVAL_MILLIS));
        }
    }
}
