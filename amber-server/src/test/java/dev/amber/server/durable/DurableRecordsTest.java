package dev.amber.server.durable;

import dev.amber.server.TestDatabase;
import dev.amber.server.http.Json;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.sandbox.SandboxState;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotRepository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the database says is durable, against a real PostgreSQL: what the copies sweep finds, what
 * a copy records (only for the pause it was made of), what leaving a pause forgets, and what the
 * store's collector may keep.
 */
class DurableRecordsTest {

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
        team = database.newTeam("durable");
        host = database.newHost();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void aPauseIsStoredOnceAndForgottenWhenTheSandboxLeavesIt() {
        UUID paused = database.newSandbox(team, host, "paused");
        assertThat(ids(sandboxes.pausedNotStored())).contains(paused);

        assertThat(sandboxes.markPauseStored(paused, "sb-x-1")).isTrue();
        assertThat(sandboxes.markPauseStored(paused, "sb-x-2")).as("a second copy of the same pause").isFalse();
        assertThat(ids(sandboxes.pausedNotStored())).doesNotContain(paused);
        assertThat(sandboxes.storedStateIds()).contains("sb-x-1");
        assertThat(sandboxes.findById(paused).orElseThrow().storedStateId()).isEqualTo("sb-x-1");

        assertThat(sandboxes.transition(paused, SandboxState.PAUSED, SandboxState.RESUMING, null)).isTrue();
        assertThat(sandboxes.transition(paused, SandboxState.RESUMING, SandboxState.PAUSED, null)).isTrue();
        assertThat(sandboxes.findById(paused).orElseThrow().storedStateId()).as("a failed resume keeps it").isEqualTo("sb-x-1");

        assertThat(sandboxes.transition(paused, SandboxState.PAUSED, SandboxState.RESUMING, null)).isTrue();
        assertThat(sandboxes.transition(paused, SandboxState.RESUMING, SandboxState.RUNNING, null)).isTrue();
        assertThat(sandboxes.findById(paused).orElseThrow().storedStateId()).as("running again").isNull();
        assertThat(sandboxes.storedStateIds()).doesNotContain("sb-x-1");
        assertThat(sandboxes.markPauseStored(paused, "sb-x-3")).as("not paused any more").isFalse();
    }

    @Test
    void aDamagedStoredPauseIsForgottenWithTheReason() {
        UUID paused = database.newSandbox(team, host, "paused");
        sandboxes.markPauseStored(paused, "sb-y-1");

        sandboxes.forgetStoredPause("sb-y-1", "3 of its chunks are missing");

        SandboxRecord record = sandboxes.findById(paused).orElseThrow();
        assertThat(record.storedStateId()).isNull();
        assertThat(record.durableError()).isEqualTo("3 of its chunks are missing");
        assertThat(ids(sandboxes.pausedNotStored())).as("copied again").contains(paused);
    }

    @Test
    void readySnapshotsAreCopiedUntilDurableAndTheCollectorKnowsWhichExist() {
        UUID source = database.newSandbox(team, host, "running");
        UUID ready = database.newCheckpoint(team, source, host, "ready");
        UUID creating = database.newCheckpoint(team, source, host, "creating");
        assertThat(snapshotIds(snapshots.notDurable())).contains(ready).doesNotContain(creating);

        snapshots.markDurable(ready, false, "store unreachable");
        assertThat(snapshots.find(ready).orElseThrow().durableError()).isEqualTo("store unreachable");
        snapshots.markDurable(ready, true, null);
        SnapshotRecord durable = snapshots.find(ready).orElseThrow();
        assertThat(durable.durable()).isTrue();
        assertThat(durable.durableError()).isNull();
        assertThat(snapshotIds(snapshots.notDurable())).doesNotContain(ready);

        UUID gone = UUID.randomUUID();
        assertThat(snapshots.existing(List.of(ready, creating, gone))).containsExactlyInAnyOrder(ready, creating);
        assertThat(snapshots.existing(List.of())).isEmpty();
    }



    private static List<UUID> ids(List<SandboxRecord> records) {
        return records.stream().map(SandboxRecord::id).toList();
    }

    private static List<UUID> snapshotIds(List<SnapshotRecord> records) {
        return records.stream().map(SnapshotRecord::id).toList();
    }
}
