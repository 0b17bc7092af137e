package dev.amber.server.sandbox;

import dev.amber.server.TestDatabase;
import dev.amber.server.http.Json;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Ended sandboxes on a real PostgreSQL: listed apart from live ones, and pruned after the history period. */
class StoppedHistoryTest {

    private static TestDatabase database;
    private static Jdbi db;
    private static SandboxRepository sandboxes;
    private static UUID host;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        db = database.jdbi();
        sandboxes = new SandboxRepository(db, Json.mapper(), UUID.randomUUID());
        host = database.newHost();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void stoppedSandboxesAreListedOnlyWhenAskedFor() {
        UUID team = database.newTeam("listing");
        UUID running = database.newSandbox(team, host, "running");
        UUID paused = database.newSandbox(team, host, "paused");
        UUID stopped = database.newSandbox(team, host, "stopped");

        assertThat(ids(team, EnumSet.complementOf(EnumSet.of(SandboxState.STOPPED)))).containsExactly(running, paused);
        assertThat(ids(team, EnumSet.of(SandboxState.STOPPED))).containsExactly(stopped);
        assertThat(ids(team, EnumSet.allOf(SandboxState.class))).containsExactly(running, paused, stopped);
    }

    @Test
    void sandboxesStoppedLongerThanTheHistoryGoUnlessASnapshotNamesThem() {
        UUID team = database.newTeam("pruning");
        UUID old = database.newSandbox(team, host, "stopped");
        UUID recent = database.newSandbox(team, host, "stopped");
        UUID source = database.newSandbox(team, host, "stopped");
        database.newCheckpoint(team, source, host, "ready");
        UUID running = database.newSandbox(team, host, "running");
        db.useHandle(handle -> handle.createUpdate("update sandboxes set updated_at = now() - interval '8 days' "
                + "where id in (<ids>)").bindList("ids", List.of(old, source, running)).execute());

        assertThat(sandboxes.pruneStopped(Duration.ofDays(7))).isEqualTo(1);

        assertThat(ids(team, EnumSet.allOf(SandboxState.class))).containsExactly(recent, source, running);
    }

    private static List<UUID> ids(UUID team, EnumSet<SandboxState> states) {
        return sandboxes.list(team, states, Map.of(), 0, 100).stream().map(SandboxRecord::id).toList();
    }
}
