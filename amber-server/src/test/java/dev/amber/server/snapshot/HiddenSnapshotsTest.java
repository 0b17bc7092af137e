package dev.amber.server.snapshot;

import dev.amber.server.TestDatabase;
import dev.amber.server.http.Json;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.sandbox.SandboxState;
import dev.amber.server.snapshot.SnapshotRepository.Claim;
import dev.amber.server.template.TemplateRepository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a snapshot that something still needs, against a real PostgreSQL: the row is hidden
 * (gone from every lookup, its name free, nothing new starts from it) rather than refused, and the
 * collector finds it once its last user goes, one layer after the other.
 */
class HiddenSnapshotsTest {

    private static TestDatabase database;
    private static Jdbi db;
    private static SnapshotRepository snapshots;
    private static SandboxRepository sandboxes;
    private static UUID team;
    private static UUID host;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        db = database.jdbi();
        snapshots = new SnapshotRepository(db, UUID.randomUUID());
        sandboxes = new SandboxRepository(db, Json.mapper(), UUID.randomUUID());
        team = database.newTeam("hidden");
        host = database.newHost();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void aSnapshotNothingUsesIsClaimedAndOneInUseIsHiddenWithItsNameFreed() {
        UUID source = database.newSandbox(team, host, "running");
        UUID unused = database.newCheckpoint(team, source, host, "ready");
        UUID used = named(database.newCheckpoint(team, source, host, "ready"), "in-use");
        set("sandboxes", source, "disk_base_id", used);

        assertThat(snapshots.claimOrHide(unused).claim()).isEqualTo(Claim.CLAIMED);
        assertThat(snapshots.claimOrHide(used).claim()).isEqualTo(Claim.HIDDEN);

        assertThat(hidden(used)).isTrue();
        assertThat(snapshots.findOwned(team, used)).isEmpty();
        assertThat(snapshots.findOwnedByName(team, "in-use")).isEmpty();
        assertThat(snapshots.find(used)).isEmpty();
        assertThat(snapshots.findCheckpoint(team, source, used)).isEmpty();
        assertThat(snapshots.list(team, source, null, 0, 100)).extracting(SnapshotRecord::id).doesNotContain(used);
        assertThat(snapshots.notDurable()).extracting(SnapshotRecord::id).doesNotContain(used);
        assertThat(snapshots.collectable()).as("its sandbox still sits on it").extracting(SnapshotRecord::id)
                .doesNotContain(used);
        UUID again = named(database.newCheckpoint(team, source, host, "ready"), "in-use");
        assertThat(snapshots.findOwnedByName(team, "in-use").orElseThrow().id()).as("the name, taken again")
                .isEqualTo(again);
    }

    @Test
    void aCollectionLeavesWhatIsInUseAsItIs() {
        UUID source = database.newSandbox(team, host, "stopped");
        UUID checkpoint = database.newCheckpoint(team, source, host, "ready");
        UUID user = database.newSandbox(team, host, "running");
        set("sandboxes", user, "based_on", checkpoint);

        assertThat(snapshots.claimUnused(checkpoint).claim()).isEqualTo(Claim.IN_USE);

        assertThat(hidden(checkpoint)).isFalse();
        assertThat(snapshots.findOwned(team, checkpoint)).as("still the user's").isPresent();
    }

    @Test
    void nothingNewStartsFromAHiddenSnapshot() {
        UUID sandbox = database.newSandbox(team, host, "running");
        UUID checkpoint = database.newCheckpoint(team, sandbox, host, "ready");
        set("sandboxes", sandbox, "disk_base_id", checkpoint);
        assertThat(snapshots.claimOrHide(checkpoint).claim()).isEqualTo(Claim.HIDDEN);

        assertThat(sandboxes.beginRestore(sandbox, SandboxState.RUNNING, checkpoint))
                .isEqualTo(SandboxRepository.RestoreStart.SNAPSHOT_NOT_READY);
        assertThat(sandboxes.find(team, sandbox).orElseThrow().state()).isEqualTo(SandboxState.RUNNING);
    }

    @Test
    void hiddenSnapshotsAreCollectableOnceTheirLastUserGoesLayerAfterLayer() {
        UUID source = database.newSandbox(team, host, "running");
        UUID lower = database.newCheckpoint(team, source, host, "ready");
        UUID upper = database.newCheckpoint(team, source, host, "ready");
        set("snapshots", upper, "disk_parent_id", lower);
        set("sandboxes", source, "disk_base_id", upper);
        assertThat(snapshots.claimOrHide(lower).claim()).isEqualTo(Claim.HIDDEN);
        assertThat(snapshots.claimOrHide(upper).claim()).isEqualTo(Claim.HIDDEN);
        assertThat(snapshots.collectable()).extracting(SnapshotRecord::id).doesNotContain(lower, upper);

        stop(source);

        assertThat(snapshots.collectable()).as("the lower layer still has the upper one on it")
                .extracting(SnapshotRecord::id).contains(upper).doesNotContain(lower);
        assertThat(snapshots.claimUnused(upper).claim()).isEqualTo(Claim.CLAIMED);
        snapshots.delete(upper);
        assertThat(snapshots.collectable()).extracting(SnapshotRecord::id).contains(lower);
    }

    @Test
    void aHiddenSnapshotThatASandboxWasCreatedFromIsCollectableOnceItStops() {
        UUID owner = database.newSandbox(team, host, "running");
        UUID snapshot = database.newCheckpoint(team, owner, host, "ready");
        db.useHandle(handle -> handle.createUpdate("update snapshots set kind = 'snapshot' where id = :id")
                .bind("id", snapshot).execute());
        UUID clone = database.newSandbox(team, host, "running");
        set("sandboxes", clone, "snapshot_id", snapshot);
        assertThat(snapshots.claimOrHide(snapshot).claim()).isEqualTo(Claim.HIDDEN);

        stop(clone);

        assertThat(snapshots.collectable()).as("a hidden snapshot, whatever its owner's state")
                .extracting(SnapshotRecord::id).contains(snapshot);
    }

    @Test
    void aDeletedTemplatesSnapshotIsHiddenUnlessAnotherTemplateStartsFromIt() {
        TemplateRepository templates = new TemplateRepository(db);
        UUID builder = database.newSandbox(team, host, "stopped");
        UUID alone = layer(builder);
        UUID shared = layer(builder);
        UUID first = template("alone", alone);
        UUID second = template("shared-1", shared);
        template("shared-2", shared);
        UUID running = database.newSandbox(team, host, "running");
        set("sandboxes", running, "template_id", first);
        set("sandboxes", running, "snapshot_id", alone);

        assertThat(templates.delete(first, alone)).isTrue();
        assertThat(templates.delete(second, shared)).isTrue();

        assertThat(templates.findOwned(team, "alone")).as("its name is free").isEmpty();
        assertThat(hidden(alone)).isTrue();
        assertThat(snapshots.collectable()).extracting(SnapshotRecord::id).as("its sandbox runs").doesNotContain(alone);
        assertThat(hidden(shared)).as("shared-2 still starts from it").isFalse();
        stop(running);
        assertThat(snapshots.collectable()).extracting(SnapshotRecord::id).contains(alone).doesNotContain(shared);
    }

    private static UUID named(UUID snapshot, String name) {
        db.useHandle(handle -> handle.createUpdate("update snapshots set kind = 'snapshot', name = :name where id = :id")
                .bind("id", snapshot).bind("name", name).execute());
        return snapshot;
    }

    private static UUID layer(UUID builder) {
        UUID layer = database.newCheckpoint(team, builder, host, "ready");
        db.useHandle(handle -> handle.createUpdate("update snapshots set kind = 'layer' where id = :id")
                .bind("id", layer).execute());
        return layer;
    }

    private static UUID template(String name, UUID snapshot) {
        UUID id = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("""
                        insert into templates (id, team_id, name, kind, state, vcpus, memory_mb, snapshot_id)
                        values (:id, :team, :name, 'snapshot', 'ready', 1, 512, :snapshot)""")
                .bind("id", id).bind("team", team).bind("name", name).bind("snapshot", snapshot).execute());
        return id;
    }

    private static void set(String table, UUID row, String column, UUID value) {
        db.useHandle(handle -> handle.createUpdate("update " + table + " set " + column + " = :value where id = :id")
                .bind("id", row).bind("value", value).execute());
    }

    private static void stop(UUID sandbox) {
        db.useHandle(handle -> handle.createUpdate("update sandboxes set state = 'stopped' where id = :id")
                .bind("id", sandbox).execute());
    }

    private static boolean hidden(UUID snapshot) {
        return db.withHandle(handle -> handle.createQuery("select hidden from snapshots where id = :id")
                .bind("id", snapshot).mapTo(Boolean.class).one());
    }
}
