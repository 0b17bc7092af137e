package dev.amber.host.vm;

import dev.amber.host.confine.Confinement;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One running QEMU, tracked by its PID and reaped by us; never found or killed by name. Its
 * confinement, if any, is released once it has been reaped, before {@link #onExit()} completes.
 */
public final class QemuProcess {

    private final Process process;
    private final Path log;
    private final Optional<Confinement> confinement;
    private final CompletableFuture<Process> exited;
    private volatile Optional<String> killedBecause = Optional.empty();

    private QemuProcess(Process process, Path log, Optional<Confinement> confinement) {
        this.process = process;
        this.log = log;
        this.confinement = confinement;
        this.exited = process.onExit().thenApply(ended -> {
            confinement.flatMap(Confinement::release).ifPresent(cause -> killedBecause = Optional.of(cause));
            return ended;
        });
    }

    /** Starts QEMU with stdout and stderr appended to {@code log}, its guest console capped ({@link ConsoleLog}). */
    public static QemuProcess launch(QemuCommandLine command, Path log) throws IOException {
        return launch(command, log, Optional.empty());
    }

    /** Starts QEMU shut in by {@code confinement} (which it releases once reaped; also if it cannot start). */
    public static QemuProcess launch(QemuCommandLine command, Path log, Optional<Confinement> confinement)
            throws IOException {
        requireNonNull(command, "command");
        requireNonNull(log, "log");
        requireNonNull(confinement, "confinement");
        ConsoleLog.clear(command.console());
        try {
            Process process = new ProcessBuilder(command.argv())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ConsoleLog.capWhileAlive(command.console(), process);
            return new QemuProcess(process, log, confinement);
        } catch (IOException | RuntimeException e) {
            confinement.ifPresent(Confinement::release);
            throw e;
        }
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

    /** Completes when QEMU has exited and been reaped, and its confinement released. */
    public CompletableFuture<Process> onExit() {
        return exited;
    }

    /** Asks politely (SIGTERM), then forces (SIGKILL) after {@code grace}; returns once reaped. */
    public void stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("QEMU pid " + pid() + " survived SIGKILL for 10 s");
                }
            }
        }
        // released here too, not awaited through onExit(): its other listeners may be waiting for
        // the lock our caller holds (a sandbox's, while it stops it)
        confinement.ifPresent(Confinement::release);
    }

    /** How it ended, in words: "exit code 1" or "killed by signal 9". */
    public String exitDescription() {
        if (process.isAlive()) {
            return "still running";
        }
        int code = process.exitValue();
        String how = code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
        return killedBecause.map(cause -> how + " (" + cause + ")").orElse(how);
    }
}
