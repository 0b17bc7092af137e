package dev.amber.api.sandbox;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/sandboxes/{id}/exec}, and the first message on {@code /exec/stream}: exactly one of
 * {@code cmd} (argv) and {@code shell}. {@code deadlineSec} (default 30) is how long the sandbox may
 * stay unresponsive before the call fails; {@code background} and {@code tag} apply to streams only.
 */
public record ExecRequest(
        List<String> cmd,
        String shell,
        Map<String, String> env,
        String cwd,
        String user,
        String stdin,
        Integer timeoutSec,
        Integer deadlineSec,
        Boolean background,
        String tag) {

    /** A run of {@code cmd} with nothing else set. */
    public static ExecRequest of(List<String> cmd) {
        return new ExecRequest(cmd, null, null, null, null, null, null, null, null, null);
    }

    /** A run of a shell command line with nothing else set. */
    public static ExecRequest shell(String line) {
        return new ExecRequest(null, line, null, null, null, null, null, null, null, null);
    }

    /** The same, started in the background on a stream (it outlives the socket), labelled {@code tag}. */
    public ExecRequest inBackground(String tag) {
        return new ExecRequest(cmd, shell, env, cwd, user, stdin, timeoutSec, deadlineSec, true, tag);
    }
}
