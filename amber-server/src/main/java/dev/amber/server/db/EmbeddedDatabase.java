package dev.amber.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** PostgreSQL run by Amber itself, its data kept under AMBER_HOME so it survives restarts. */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(10);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
        stopOrphanedServer(dataDir);
        return new EmbeddedDatabase(EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start());
    }

    /**
     * A server left running by an Amber process that was killed (SIGKILL, a crash) still holds the
     * data directory: it is asked to shut down (SIGTERM; its clients died with that process), and
     * killed if it will not, before a new one starts. It has shut down when it has removed its pid
     * file, its last step: waiting for that rather than for its exit is quicker, as it is not our
     * child (its exit is seen only once its adopter reaps it, which can take seconds).
     */
    private static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
        } catch (RuntimeException e) {
            return; // not a pid file we understand: let PostgreSQL judge it
        }
        Optional<ProcessHandle> server = ProcessHandle.of(pid)
                .filter(process -> process.info().command().map(command -> command.contains("postgres")).orElse(false));
        if (server.isEmpty()) {
            return;
        }
        System.getLogger("amber.database").log(System.Logger.Level.WARNING,
                "stopping PostgreSQL pid {0}, left running by an Amber process that did not shut down", pid);
        server.get().destroy();
        long deadline = System.nanoTime() + SHUTDOWN_DEADLINE.toNanos();
        try {
            while (Files.exists(pidFile) && server.get().isAlive()) {
                if (System.nanoTime() > deadline) {
                    server.get().destroyForcibly();
                    server.get().onExit().get(30, TimeUnit.SECONDS);
                    return;
                }
                Thread.sleep(SHUTDOWN_POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted stopping an orphaned PostgreSQL");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not stop the orphaned PostgreSQL pid " + pid, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
