package dev.amber.protocol.message;

/** Sub-channel tags used on agent streams. */
public final class Tags {
    /** Host to guest: a process's standard input. */
    public static final int STDIN = 0;
    /** Guest to host: a process's standard output. */
    public static final int STDOUT = 1;
    /** Guest to host: a process's standard error. */
    public static final int STDERR = 2;
    /** File contents, in either direction. */
    public static final int DATA = 3;
    /** The operation's result; its encoding depends on the request. */
    public static final int REPLY = 4;
    /** The operation failed; the payload is an {@link AgentError}. */
    public static final int ERROR = 5;
    /** Guest to host: how an attached process ended; the payload is an {@link ExecExit}. */
    public static final int EXIT = 6;
    /** Host to guest: a new terminal size; the payload is a {@link WindowSize}. */
    public static final int RESIZE = 7;
    /** Guest to host: retained output was cut here; the payload is an {@link OutputDropped}. */
    public static final int DROPPED = 8;
    /** Guest to host, empty: the agent is alive though the process is quiet. */
    public static final int HEARTBEAT = 9;

    private Tags() {}
}
