package dev.amber.server.snapshot;

import dev.amber.server.TestDatabase;
import dev.amber.server.host.HostSnapshots.SnapshotOutcome;
import dev.amber.server.host.SavedPlatform;
import dev.amber.server.http.Json;
import dev.amber.server.sandbox.RestorePoint;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxRepository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform a snapshot was saved on, recorded when it becomes ready and read back, against a real PostgreSQL. */
class SnapshotPlatformTest {

    private static final SnapshotOutcome SAVED = new SnapshotOutcome(40, 900, 1 << 20, 1, 512, 5120);
    private static final SavedPlatform TCG_7_2 = new SavedPlatform("pc-q35-7.2", "max", "tcg");

    private static TestDatabase database;
    private static Jdbi db;
    private static SandboxRepository sandboxes;
    private static SnapshotRepository snapshots;
    private static UUID team;
    private static UUID host;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        db = database.jdbi();
        sandboxes = new SandboxRepository(db, Json.mapper(), UUID.randomUUID());
        snapshots = new SnapshotRepository(db, UUID.randomUUID());
        team = database.newTeam("platforms");
        host = database.newHost();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void aSnapshotRecordsThePlatformItWasSavedOnWhenItBecomesReady() {
        SnapshotRecord creating = snapshot("on-tcg");
        assertThat(creating.platform()).as("not saved yet").isEmpty();

        SnapshotRecord ready = snapshots.markReady(creating.id(), SAVED, Optional.of(TCG_7_2));

        assertThat(ready.platform()).contains(TCG_7_2);
        RestorePoint read = snapshots.find(creating.id()).orElseThrow();
        assertThat(read.platform()).contains(TCG_7_2);
        boolean stored = db.withHandle(handle -> handle.createQuery(
                        "select platform = cast(:expected as jsonb) from snapshots where id = :id")
                .bind("id", creating.id())
                .bind("expected", "{\"machineType\": \"pc-q35-7.2\", \"cpuModel\": \"max\", \"accelerator\": \"tcg\"}")
                .mapTo(Boolean.class).one());
        assertThat(stored).as("the column as V17 describes it").isTrue();
    }

    @Test
    void aSnapshotWhoseHostDidNotSayItsPlatformHasNone() {
        SnapshotRecord creating = snapshot("unknown");

        snapshots.markReady(creating.id(), SAVED, Optional.empty());

        assertThat(snapshots.find(creating.id()).orElseThrow().platform()).isEmpty();
    }

    /** A named snapshot of a new running sandbox, as taking one records it ({@code creating}). */
    private static SnapshotRecord snapshot(String name) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, auto_resume, host_id)
                        values (:id, :team, 'running', 1, 512, 0, true, :host)""")
                .bind("id", id).bind("team", team).bind("host", host).execute());
        SandboxRecord sandbox = sandboxes.findById(id).orElseThrow();
        return snapshots.insert(SnapshotRecord.Kind.SNAPSHOT, name, sandbox, handle -> { }).orElseThrow();
    }
}
