package dev.amber.host.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A process to run in the guest: argv, extra environment, working directory (null: the user's
 * home), user (null: root) and a timeout after which its whole process group is killed (null: none).
 */
public record ExecCommand(List<String> argv, Map<String, String> env, String cwd, String user, Duration timeout) {

    public ExecCommand {
        argv = List.copyOf(requireNonNull(argv, "argv"));
        env = Map.copyOf(requireNonNull(env, "env"));
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("cmd must name a program");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public static ExecCommand of(String... argv) {
        return new ExecCommand(List.of(argv), Map.of(), null, null, null);
    }

    /** A command line for bash, as a user would type it. */
    public static ExecCommand shell(String script) {
        return of("/bin/bash", "-c", script);
    }

    public ExecCommand withEnv(Map<String, String> value) {
        return new ExecCommand(argv, value, cwd, user, timeout);
    }

    public ExecCommand withCwd(String value) {
        return new ExecCommand(argv, env, value, user, timeout);
    }

    public ExecCommand withUser(String value) {
        return new ExecCommand(argv, env, cwd, value, timeout);
    }

    public ExecCommand withTimeout(Duration value) {
        return new ExecCommand(argv, env, cwd, user, value);
    }
}
