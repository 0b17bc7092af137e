package dev.amber.server.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Processes in a sandbox, through its guest agent. */
public interface HostProcesses {

    /** Runs a process to completion; output beyond {@code maxOutputBytes} per stream is dropped and flagged. */
    ExecOutcome exec(String sandboxId, ExecCall call, int maxOutputBytes) throws HostException;

    /** Starts a process the guest agent keeps track of, attached ({@code terminal}: on a pseudo-terminal). */
    ProcessStream start(String sandboxId, ProcessCall call) throws HostException;

    /** Attaches to a tracked process; its retained output comes first. */
    ProcessStream attach(String sandboxId, long pid, Duration deadline) throws HostException;

    List<ProcessStream.GuestProcess> list(String sandboxId) throws HostException;

    /** Signals a tracked process's group; NOT_FOUND when it is unknown or has exited. */
    ProcessStream.GuestProcess signal(String sandboxId, long pid, int signal) throws HostException;

    /**
     * A process to run: {@code timeout} null means none; {@code deadline} (null: the host's default) is
     * how long the guest may stay silent before the call fails.
     */
    record ExecCall(List<String> argv, Map<String, String> env, String cwd, String user, byte[] stdin, Duration timeout,
                    Duration deadline) {}

    /** A tracked process to start: {@code terminal} null runs it on pipes. */
    record ProcessCall(ExecCall exec, String tag, boolean background, TerminalSize terminal) {}

    record TerminalSize(int rows, int cols) {}

    record ExecOutcome(int exitCode, byte[] stdout, byte[] stderr, long durationMillis, boolean timedOut, boolean truncated) {}
}
