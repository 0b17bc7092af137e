package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.server.host.HostProcesses;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks an exec request and turns it into what the host runs. */
public final class ExecCalls {

    static final int MAX_TIMEOUT_SEC = 24 * 3600;
    /** The guest beats a heartbeat every 2 s while a process is quiet: a shorter deadline would fail live calls. */
    static final int MIN_DEADLINE_SEC = 5;
    static final int MAX_DEADLINE_SEC = 3600;

    private ExecCalls() {}

    /** A run to completion: {@code background} and {@code tag} belong to streams. */
    public static HostProcesses.ExecCall forRun(ExecRequest request) {
        if (request.background() != null || request.tag() != null) {
            throw ApiException.badRequest("background and tag apply to processes started on the exec/stream WebSocket,"
                    + " not to a run to completion");
        }
        return from(request);
    }

    /**
     * A tracked process started on the exec/stream WebSocket; {@code socketDeadline} (from the socket's
     * query, may be null) applies when the request names none.
     */
    public static HostProcesses.ProcessCall forStream(ExecRequest request, Duration socketDeadline) {
        if (request.stdin() != null) {
            throw ApiException.badRequest("on a stream, send stdin as messages, not in the start request");
        }
        HostProcesses.ExecCall call = from(request);
        if (call.deadline() == null) {
            call = new HostProcesses.ExecCall(call.argv(), call.env(), call.cwd(), call.user(), null, call.timeout(),
                    socketDeadline);
        }
        return new HostProcesses.ProcessCall(call, tag(request.tag()), Boolean.TRUE.equals(request.background()), null);
    }

    /** A process's label: at most 128 characters, no NUL; null for none. */
    public static String tag(String tag) {
        if (tag != null && (tag.length() > 128 || tag.indexOf('\0') >= 0)) {
            throw ApiException.badRequest("tag must be at most 128 characters without NUL");
        }
        return tag;
    }

    /** {@code deadlineSec} as a duration, null for the default; 400 outside 5 s to an hour. */
    public static Duration deadline(Integer deadlineSec) {
        if (deadlineSec == null) {
            return null;
        }
        if (deadlineSec < MIN_DEADLINE_SEC || deadlineSec > MAX_DEADLINE_SEC) {
            throw ApiException.badRequest("deadlineSec must be between " + MIN_DEADLINE_SEC + " and " + MAX_DEADLINE_SEC);
        }
        return Duration.ofSeconds(deadlineSec);
    }

    private static HostProcesses.ExecCall from(ExecRequest request) {
        if ((request.cmd() == null) == (request.shell() == null)) {
            throw ApiException.badRequest("give exactly one of cmd (an argv list) and shell (a command line)");
        }
        List<String> argv = request.cmd() != null ? request.cmd() : List.of("/bin/bash", "-c", request.shell());
        if (argv.isEmpty() || argv.getFirst() == null || argv.getFirst().isEmpty()) {
            throw ApiException.badRequest("cmd must name a program");
        }
        for (String arg : argv) {
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw ApiException.badRequest("cmd arguments must be strings without NUL bytes");
            }
        }
        Map<String, String> env = Objects.requireNonNullElse(request.env(), Map.of());
        env.forEach((key, value) -> {
            if (key.isEmpty() || key.contains("=") || key.indexOf('\0') >= 0 || value == null || value.indexOf('\0') >= 0) {
                throw ApiException.badRequest("env names must be non-empty without '=' or NUL, values non-null without NUL");
            }
        });
        if (request.cwd() != null && !request.cwd().startsWith("/")) {
            throw ApiException.badRequest("cwd must be an absolute path");
        }
        Integer timeoutSec = request.timeoutSec();
        if (timeoutSec != null && (timeoutSec < 1 || timeoutSec > MAX_TIMEOUT_SEC)) {
            throw ApiException.badRequest("timeoutSec must be between 1 and " + MAX_TIMEOUT_SEC);
        }
        byte[] stdin = request.stdin() == null ? null : request.stdin().getBytes(StandardCharsets.UTF_8);
        return new HostProcesses.ExecCall(List.copyOf(argv), Map.copyOf(env), request.cwd(), request.user(), stdin,
                timeoutSec == null ? null : Duration.ofSeconds(timeoutSec), deadline(request.deadlineSec()));
    }
}
