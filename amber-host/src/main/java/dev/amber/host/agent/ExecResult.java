package dev.amber.host.agent;

import java.nio.charset.StandardCharsets;

/** A finished process with its whole output. */
public record ExecResult(int exitCode, boolean timedOut, long durationMillis, byte[] stdout, byte[] stderr) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
