package dev.amber.server.db;

import dev.amber.server.ServerFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL as a local user would probe it: with JDBC over the loopback port and
 * with Debian's {@code psql} (installed by scripts/setup-test-deps) over the unix socket.
 */
@Timeout(180)
class EmbeddedDatabaseTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path home;

    @Test
    void everySocketItListensOnRejectsConnectionsWithoutThePassword() throws Exception {
        PostgresPaths paths = ServerFixture.postgresPaths(home);
        try (EmbeddedDatabase postgres = EmbeddedDatabase.start(paths)) {
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedDatabase.USER,
                    postgres.password())) {
                assertThat(setting(connection, "listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(setting(connection, "unix_socket_directories")).isEqualTo(paths.socketDirectory().toString());
                assertThat(setting(connection, "password_encryption")).isEqualTo("scram-sha-256");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedDatabase.USER, ""))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedDatabase.USER, "postgres"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");

            Psql.Result withoutPassword = Psql.overSocket(paths.socketDirectory(), port(postgres), null);
            assertThat(withoutPassword.exitCode()).as(withoutPassword.output()).isNotZero();
            assertThat(withoutPassword.output()).contains("password");
            Psql.Result withPassword = Psql.overSocket(paths.socketDirectory(), port(postgres), postgres.password());
            assertThat(withPassword.exitCode()).as("the socket is there and takes the password: " + withPassword.output())
                    .isZero();
        }
        assertThat(Files.readString(paths.data().resolve("pg_hba.conf"))).doesNotContain("trust");
        assertThat(mode(paths.password())).isEqualTo("rw-------");
        assertThat(mode(paths.socketDirectory())).isEqualTo("rwx------");
        assertThat(mode(paths.binaries())).isEqualTo("rwx------");
    }

    @Test
    void aClusterThatTrustedEveryLocalConnectionDemandsThePasswordAfterTheUpgradeAndKeepsItsData() throws Exception {
        PostgresPaths paths = ServerFixture.postgresPaths(home);
        // as Amber ran it before: initdb's trust, the default socket, no password at all
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(paths.data())
                .setCleanDataDirectory(false).start();
             Connection connection = old.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute("create table kept (value text); insert into kept values ('before')");
        }
        assertThat(Files.readString(paths.data().resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedDatabase postgres = EmbeddedDatabase.start(paths)) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedDatabase.USER, ""))
                    .isInstanceOf(SQLException.class);
            assertThat(Psql.overSocket(paths.socketDirectory(), port(postgres), null).exitCode()).isNotZero();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedDatabase.USER,
                    postgres.password())) {
                var rows = connection.createStatement().executeQuery("select value from kept");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("before");
            }
        }
        assertThat(Files.readString(paths.data().resolve("pg_hba.conf"))).isEqualTo(ClientAuthentication.HBA);
    }

    @Test
    void theGeneratedPasswordIsKeptAcrossRestarts() throws Exception {
        PostgresPaths paths = ServerFixture.postgresPaths(home);
        String first;
        try (EmbeddedDatabase postgres = EmbeddedDatabase.start(paths)) {
            first = postgres.password();
        }
        try (EmbeddedDatabase postgres = EmbeddedDatabase.start(paths);
             Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedDatabase.USER, first)) {
            assertThat(postgres.password()).isEqualTo(first).hasSize(64);
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(Files.readString(paths.password(), StandardCharsets.UTF_8).strip()).isEqualTo(first);
    }

    private static String setting(Connection connection, String name) throws SQLException {
        var rows = connection.createStatement().executeQuery("show " + name);
        rows.next();
        return rows.getString(1);
    }

    private static int port(EmbeddedDatabase postgres) {
        return URI.create(postgres.jdbcUrl().substring("jdbc:".length())).getPort();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** Debian's psql, told never to look for a password anywhere but the one given. */
    private static final class Psql {

        record Result(int exitCode, String output) {}

        static Result overSocket(Path socketDirectory, int port, String password) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(List.of("psql", "-h", socketDirectory.toString(),
                    "-p", Integer.toString(port), "-U", EmbeddedDatabase.USER, "-d", "postgres", "-w", "-c", "select 1"))
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("PG"));
            env.put("PGPASSFILE", "/dev/null");
            if (password != null) {
                env.put("PGPASSWORD", password);
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Result(process.exitValue(), output);
        }
    }
}
