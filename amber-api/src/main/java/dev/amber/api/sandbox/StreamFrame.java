package dev.amber.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON text messages of the process WebSockets ({@code /exec/stream}, {@code /pty},
 * {@code /processes/{pid}/stream}); output itself travels in binary messages whose first byte says
 * the stream (1 stdout, 2 stderr). From the server: {@code started} (with {@code process}),
 * {@code dropped} (retained output of {@code stream} was cut: {@code totalBytes} so far), {@code exit}
 * ({@code exitCode}, {@code signal}, {@code timedOut}, {@code durationMs}) and {@code error}
 * ({@code code}, {@code message}). From the client: {@code stdin} ({@code data} as text; binary
 * messages are stdin bytes too), {@code eof}, {@code resize} ({@code rows}, {@code cols}) and
 * {@code signal} (a name or number in {@code data}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamFrame(
        String type,
        ProcessView process,
        String data,
        String stream,
        Long totalBytes,
        Integer exitCode,
        Integer signal,
        Boolean timedOut,
        Long durationMs,
        Integer rows,
        Integer cols,
        String code,
        String message) {

    public static final byte STDOUT = 1;
    public static final byte STDERR = 2;

    public static StreamFrame started(ProcessView process) {
        return new StreamFrame("started", process, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static StreamFrame dropped(String stream, long totalBytes) {
        return new StreamFrame("dropped", null, null, stream, totalBytes, null, null, null, null, null, null, null, null);
    }

    public static StreamFrame exit(int exitCode, Integer signal, boolean timedOut, long durationMs) {
        return new StreamFrame("exit", null, null, null, null, exitCode, signal, timedOut, durationMs, null, null, null, null);
    }

    public static StreamFrame error(String code, String message) {
        return new StreamFrame("error", null, null, null, null, null, null, null, null, null, null, code, message);
    }

    public static StreamFrame stdin(String data) {
        return new StreamFrame("stdin", null, data, null, null, null, null, null, null, null, null, null, null);
    }

    public static StreamFrame eof() {
        return new StreamFrame("eof", null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static StreamFrame resize(int rows, int cols) {
        return new StreamFrame("resize", null, null, null, null, null, null, null, null, rows, cols, null, null);
    }

    /** {@code signal}: a name or number, as for the signal endpoint. */
    public static StreamFrame signal(String signal) {
        return new StreamFrame("signal", null, signal, null, null, null, null, null, null, null, null, null, null);
    }
}
