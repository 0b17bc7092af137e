package dev.amber.host.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/** One running QEMU, tracked by its PID and reaped by us; never found or killed by name. */
public final class QemuProcess {

    private final Process process;
    private final Path log;

    private QemuProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts QEMU with stdout and stderr appended to {@code log}, its guest console capped ({@link ConsoleLog}). */
    public static QemuProcess launch(QemuCommandLine command, Path log) throws IOException {
        requireNonNull(command, "command");
        requireNonNull(log, "log");
        ConsoleLog.clear(command.console());
        Process process = new ProcessBuilder(command.argv())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ConsoleLog.capWhileAlive(command.console(), process);
        return new QemuProcess(process, log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Completes when QEMU has exited and been reaped. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Asks politely (SIGTERM), then forces (SIGKILL) after {@code grace}; returns once reaped. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("QEMU pid " + pid() + " survived SIGKILL for 10 s");
            }
        }
    }

    /** How it ended, in words: "exit code 1" or "killed by signal 9". */
    public String exitDescription() {
        if (process.isAlive()) {
            return "still running";
        }
        int code = process.exitValue();
        return code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    }
}
