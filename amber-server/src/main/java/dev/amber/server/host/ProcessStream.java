package dev.amber.server.host;

import java.util.List;

/**
 * The control plane attached to a process the guest agent keeps track of: its output as
 * {@link Event}s (retained output first when re-attaching), input and terminal sizes the other way.
 * Closing detaches: a background process runs on, any other is killed.
 */
public interface ProcessStream extends AutoCloseable {

    /** The process as it was when attached. */
    GuestProcess info();

    /** The next event, or null after the exit. A silent guest fails it with {@link HostException.Kind#TIMEOUT}. */
    Event next() throws HostException;

    void write(byte[] stdin) throws HostException;

    void closeStdin() throws HostException;

    void resize(int rows, int cols) throws HostException;

    @Override
    void close();

    /** A tracked process. {@code exit} is null while it runs; {@code tag} null when none was given. */
    record GuestProcess(long pid, List<String> argv, String tag, boolean terminal, boolean background,
                        long startedMillis, Exit exit) {}

    /** How a process ended: {@code signal} is the one Amber sent that ended it (signal call, timeout), else 0. */
    record Exit(int exitCode, int signal, boolean timedOut, long durationMillis) {}

    /** What comes from an attached process. {@code stream}: "stdout" or "stderr". */
    sealed interface Event {
        record Output(String stream, byte[] data) implements Event {}

        /** The guest no longer had {@code totalBytes} of this stream's output. */
        record Dropped(String stream, long totalBytes) implements Event {}

        record Exited(Exit exit) implements Event {}
    }
}
