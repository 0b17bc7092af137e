package dev.amber.host.process;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived external command (qemu-img and the like) with a deadline. Its output is
 * captured and quoted in the error when it fails; on timeout the process is killed and reaped.
 */
public final class CommandRunner {

    private CommandRunner() {}

    /** Runs {@code command}; returns its combined output, or throws with that output on failure. */
    public static String run(List<String> command, Duration timeout) throws IOException {
        return run(command, "", timeout);
    }

    /** As {@link #run(List, Duration)}, with {@code input} on the command's standard input. */
    public static String run(List<String> command, String input, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        FutureTask<byte[]> captured = new FutureTask<>(() -> process.getInputStream().readAllBytes());
        Thread.ofVirtual().start(captured);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException(command.getFirst() + " did not finish within " + timeout + ": " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted running " + command.getFirst());
        }
        String text = new String(output(captured), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(command.getFirst() + " failed with exit code " + process.exitValue() + ": " + text);
        }
        return text;
    }

    private static byte[] output(FutureTask<byte[]> captured) {
        try {
            return captured.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new byte[0];
        } catch (ExecutionException e) {
            return new byte[0];
        }
    }
}
