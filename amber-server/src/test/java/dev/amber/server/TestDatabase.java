package dev.amber.server;

import dev.amber.server.db.Database;
import dev.amber.server.db.EmbeddedDatabase;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;

/** A migrated embedded PostgreSQL in a temporary directory, with no server on it: for repository tests. */
public final class TestDatabase implements AutoCloseable {

    private final Path home;
    private final EmbeddedDatabase postgres;
    private final Database database;

    private TestDatabase(Path home, EmbeddedDatabase postgres, Database database) {
        this.home = home;
        this.postgres = postgres;
        this.database = database;
    }

    public static TestDatabase start() throws IOException {
        Path home = Files.createTempDirectory("amber-db-test");
        EmbeddedDatabase postgres = EmbeddedDatabase.start(ServerFixture.postgresPaths(home));
        return new TestDatabase(home, postgres,
                Database.connect(postgres.jdbcUrl(), EmbeddedDatabase.USER, postgres.password()));
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    /** A new team's id. */
    public UUID newTeam(String name) {
        UUID id = UUID.randomUUID();
        jdbi().useHandle(handle -> handle.createUpdate("insert into teams (id, name) values (:id, :name)")
                .bind("id", id).bind("name", name).execute());
        return id;
    }

    /** A new ready host's id. */
    public UUID newHost() {
        UUID id = UUID.randomUUID();
        jdbi().useHandle(handle -> handle.createUpdate(
                        "insert into hosts (id, name, address, state) values (:id, :name, '127.0.0.1:1', 'ready')")
                .bind("id", id).bind("name", "h-" + id).execute());
        return id;
    }

    /** A new sandbox of {@code team} on {@code host} in {@code state} (a wire name), 1 vCPU and 512 MiB. */
    public UUID newSandbox(UUID team, UUID host, String state) {
        UUID id = UUID.randomUUID();
        jdbi().useHandle(handle -> handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, auto_resume, host_id)
                        values (:id, :team, :state, 1, 512, 0, true, :host)""")
                .bind("id", id).bind("team", team).bind("state", state).bind("host", host).execute());
        return id;
    }

    /** A new checkpoint of {@code sandbox} (of {@code team}, on {@code host}) in {@code state} (a wire name). */
    public UUID newCheckpoint(UUID team, UUID sandbox, UUID host, String state) {
        UUID id = UUID.randomUUID();
        jdbi().useHandle(handle -> handle.createUpdate("""
                        insert into snapshots (id, team_id, kind, state, sandbox_id, host_id, vcpus, memory_mb, disk_size_mb)
                        values (:id, :team, 'checkpoint', :state, :sandbox, :host, 1, 512, 5120)""")
                .bind("id", id).bind("team", team).bind("state", state).bind("sandbox", sandbox).bind("host", host)
                .execute());
        return id;
    }

    @Override
    public void close() throws IOException {
        database.close();
        postgres.close();
        try (var files = Files.walk(home)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
