package dev.amber.server.db;

import org.postgresql.util.PasswordUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Makes a cluster accept only password (SCRAM-SHA-256) connections: sets the role's password, then
 * rewrites {@code pg_hba.conf}. Both are done with the server stopped, the password in PostgreSQL's
 * single-user mode (no socket at all), so a cluster made by {@code initdb -A trust} (a new one, or
 * one from an Amber that trusted every local connection) is never reachable without a password.
 */
final class ClientAuthentication {

    /** Every line asks for the password: the unix socket and the loopback port alike. */
    static final String HBA = """
            # Written by Amber at every start: every connection must give the password (SCRAM-SHA-256).
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            """;
    private static final long SINGLE_USER_SECONDS = 60;

    private final Path dataDirectory;
    private final List<String> postgresCommand;

    /** {@code postgresCommand}: how to run the {@code postgres} binary (with any wrapper, such as unshare). */
    ClientAuthentication(Path dataDirectory, List<String> postgresCommand) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory");
        this.postgresCommand = List.copyOf(postgresCommand);
    }

    /** True when the cluster already asks every connection for the password this class set. */
    boolean isEnforced() throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
    }

    /** Sets the role's password, then writes the pg_hba.conf that demands it. The server must be stopped. */
    void enforce(String role, String password) throws IOException {
        setPassword(role, password);
        writeHba();
    }

    /** Written at every start, so a hand-edited file cannot quietly reopen password-less access. */
    void writeHba() throws IOException {
        Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
    }

    /**
     * Only the SCRAM verifier reaches PostgreSQL, never the password itself: single-user mode echoes a
     * failed statement to its log.
     */
    private void setPassword(String role, String password) throws IOException {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        String statement = "ALTER ROLE \"" + role + "\" PASSWORD '" + verifier + "';\n";
        List<String> command = new ArrayList<>(postgresCommand);
        command.addAll(List.of("--single", "-D", dataDirectory.toString(), "postgres"));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(statement.getBytes(StandardCharsets.UTF_8));
        }
        String errors;
        try (InputStream err = process.getErrorStream()) {
            errors = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(SINGLE_USER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("PostgreSQL in single-user mode did not finish within " + SINGLE_USER_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted setting PostgreSQL's password", e);
        }
        // single-user mode exits 0 even when the statement failed: its log says so
        List<String> failures = errors.lines().filter(line -> line.contains("ERROR:") || line.contains("FATAL:")).toList();
        if (process.exitValue() != 0 || !failures.isEmpty()) {
            throw new IOException("could not set the password of PostgreSQL's role " + role + " in " + dataDirectory
                    + " (exit " + process.exitValue() + "): " + String.join("; ", failures));
        }
    }
}
