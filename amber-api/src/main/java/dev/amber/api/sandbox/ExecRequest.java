package dev.amber.api.sandbox;

import dev.amber.api.Alternatives;
import dev.amber.api.Copies;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /v1/sandboxes/{id}/exec}, and the first message on {@code /exec/stream}: exactly one of
 * {@code cmd} (argv) and {@code shell}. {@code deadlineSec} (default 30) is how long the sandbox may
 * stay unresponsive before the call fails; {@code background} and {@code tag} apply to streams only.
 * Clients build one with {@link #builder()}, or {@link #of} and {@link #shell} for a bare command.
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
        return builder().cmd(cmd).build();
    }

    /** A run of a shell command line with nothing else set. */
    public static ExecRequest shell(String line) {
        return builder().shell(line).build();
    }

    /** A request to be given its command with {@link Builder#cmd} or {@link Builder#shell}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same, started in the background on a stream (it outlives the socket), labelled {@code tag}. */
    public ExecRequest inBackground(String tag) {
        return new ExecRequest(cmd, shell, env, cwd, user, stdin, timeoutSec, deadlineSec, true, tag);
    }

    /** The same with {@code timeoutSec} set. */
    public ExecRequest withTimeoutSec(int value) {
        return new ExecRequest(cmd, shell, env, cwd, user, stdin, value, deadlineSec, background, tag);
    }

    /**
     * Sets what an {@link ExecRequest} says; a field never set (or set to null) is left out and takes
     * the server's default. The command is set by one method: {@link #cmd} or {@link #shell}.
     */
    public static final class Builder {

        private final Alternatives command = new Alternatives("an exec's command");
        private List<String> cmd;
        private String shell;
        private Map<String, String> env;
        private String cwd;
        private String user;
        private String stdin;
        private Integer timeoutSec;
        private Integer deadlineSec;
        private Boolean background;
        private String tag;

        private Builder() {}

        /** The program and its arguments, run without a shell. */
        public Builder cmd(List<String> argv) {
            command.choose("cmd");
            cmd = Copies.of(requireNonNull(argv, "argv"));
            return this;
        }

        /** A command line for a shell, as a user would type it. */
        public Builder shell(String line) {
            command.choose("shell");
            shell = requireNonNull(line, "line");
            return this;
        }

        /** Environment added to the sandbox's. */
        public Builder env(Map<String, String> value) {
            env = Copies.of(value);
            return this;
        }

        /** Working directory (absolute). */
        public Builder cwd(String value) {
            cwd = value;
            return this;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        /** Text written to the process's standard input (a run to completion; a stream sends stdin messages). */
        public Builder stdin(String value) {
            stdin = value;
            return this;
        }

        /** Seconds after which the process is stopped. */
        public Builder timeoutSec(Integer value) {
            timeoutSec = value;
            return this;
        }

        /** Seconds the sandbox may stay unresponsive before the call fails. */
        public Builder deadlineSec(Integer value) {
            deadlineSec = value;
            return this;
        }

        /** On a stream: the process outlives the socket, labelled {@code tag} (may be null) to find it again. */
        public Builder background(String tag) {
            background = true;
            this.tag = tag;
            return this;
        }

        /** @throws IllegalStateException when neither or both of {@code cmd} and {@code shell} were set */
        public ExecRequest build() {
            command.requireOne("cmd", "shell");
            return new ExecRequest(cmd, shell, env, cwd, user, stdin, timeoutSec, deadlineSec, background, tag);
        }
    }
}
