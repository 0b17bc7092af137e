package dev.amber.server.replica;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.amber.server.TestDatabase;
import dev.amber.server.http.Json;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.sandbox.SandboxState;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.server.template.BuildRecord;
import dev.amber.server.template.BuildRepository;
import dev.amber.server.template.BuildStatus;
import dev.amber.server.template.Recipe;
import dev.amber.server.template.TemplateKind;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server replicas on one real PostgreSQL: what one has in flight the other leaves alone while
 * the first lives, and settles once it is gone, whether it stopped (its row deleted) or died (its
 * row no longer renewed).
 */
class LeftoversTest {

    private static TestDatabase database;
    private static Jdbi db;
    private static UUID team;
    private static UUID host;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        db = database.jdbi();
        team = database.newTeam("replicas");
        host = database.newHost();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void whatALiveReplicaHasInFlightIsItsOwnUntilItStops() throws Exception {
        Replica first = Replica.join(db, "first");
        Replica second = Replica.join(db, "second");
        try {
            UUID sandbox = database.newSandbox(team, host, "running");
            UUID snapshot = database.newCheckpoint(team, sandbox, host, "ready");
            UUID build = queuedBuild();
            assertThat(new SandboxRepository(db, Json.mapper(), first.id())
                    .transition(sandbox, SandboxState.RUNNING, SandboxState.STOPPING, null)).isTrue();
            assertThat(new SnapshotRepository(db, first.id()).claimUnused(snapshot).claim())
                    .isEqualTo(SnapshotRepository.Claim.CLAIMED);
            assertThat(new BuildRepository(db, Json.mapper(), first.id()).claimNext().orElseThrow().id()).isEqualTo(build);

            SandboxRepository sandboxes = new SandboxRepository(db, Json.mapper(), second.id());
            SnapshotRepository snapshots = new SnapshotRepository(db, second.id());
            BuildRepository builds = new BuildRepository(db, Json.mapper(), second.id());
            assertThat(sandboxes.interruptedOnHost(host)).as("the first replica is stopping it").doesNotContain(sandbox);
            assertThat(snapshots.failInterrupted()).as("the first replica is deleting it").isZero();
            assertThat(builds.requeueInterrupted(2)).as("the first replica is running it").isEmpty();

            first.close();

            assertThat(sandboxes.interruptedOnHost(host)).contains(sandbox);
            assertThat(snapshots.failInterrupted()).isEqualTo(1);
            assertThat(snapshotState(snapshot)).isEqualTo("failed");
            assertThat(builds.requeueInterrupted(2)).extracting(BuildRecord::id).containsExactly(build);
            assertThat(builds.find(build).orElseThrow().status()).as("queued again for its second attempt")
                    .isEqualTo(BuildStatus.QUEUED);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aReplicaStartingOnTheMachineOfADeadOneSettlesWhatItLeftAtOnce() throws Exception {
        Replica live = Replica.join(db, "live");
        try {
            String machine = db.withHandle(handle -> handle.createQuery("select machine from server_replicas where id = :id")
                    .bind("id", live.id()).mapTo(String.class).one());
            Process exited = new ProcessBuilder("true").start();
            exited.waitFor();
            UUID crashed = UUID.randomUUID();
            db.useHandle(handle -> handle.createUpdate("insert into server_replicas (id, name, machine, pid) "
                    + "values (:id, 'crashed', :machine, :pid)").bind("id", crashed).bind("machine", machine)
                    .bind("pid", exited.pid()).execute());
            UUID sandbox = database.newSandbox(team, host, "running");
            assertThat(new SandboxRepository(db, Json.mapper(), crashed)
                    .transition(sandbox, SandboxState.RUNNING, SandboxState.PAUSING, null)).isTrue();
            SandboxRepository sandboxes = new SandboxRepository(db, Json.mapper(), live.id());
            assertThat(sandboxes.interruptedOnHost(host)).as("within its lease").doesNotContain(sandbox);

            Replica.join(db, "restarted").close();

            assertThat(sandboxes.interruptedOnHost(host)).as("its process is gone").contains(sandbox);
        } finally {
            live.close();
        }
    }

    @Test
    void aReplicaThatStopsRenewingIsGoneAfterItsLease() {
        UUID killed = UUID.randomUUID();
        db.useHandle(handle -> handle.createUpdate("insert into server_replicas (id, name) values (:id, 'killed')")
                .bind("id", killed).execute());
        UUID sandbox = database.newSandbox(team, host, "running");
        SandboxRepository itsSandboxes = new SandboxRepository(db, Json.mapper(), killed);
        assertThat(itsSandboxes.transition(sandbox, SandboxState.RUNNING, SandboxState.PAUSING, null)).isTrue();
        SandboxRepository sandboxes = new SandboxRepository(db, Json.mapper(), UUID.randomUUID());
        assertThat(sandboxes.interruptedOnHost(host)).doesNotContain(sandbox);

        db.useHandle(handle -> handle.createUpdate("update server_replicas set seen_at = now() - make_interval(secs => :s) "
                + "where id = :id").bind("s", Replica.LEASE.toSeconds() + 1).bind("id", killed).execute());

        assertThat(sandboxes.interruptedOnHost(host)).contains(sandbox);
    }



    private static UUID queuedBuild() throws JsonProcessingException {
        UUID template = UUID.randomUUID();
        UUID build = UUID.randomUUID();
        String recipe = Json.mapper().writeValueAsString(new Recipe("base", List.of(), null, 0, TemplateKind.SNAPSHOT, 1, 512, 5120, null));
        db.useHandle(handle -> {
            handle.createUpdate("insert into templates (id, team_id, name, kind, vcpus, memory_mb) "
                            + "values (:id, :team, :name, 'snapshot', 1, 512)")
                    .bind("id", template).bind("team", team).bind("name", "t-" + template).execute();
            handle.createUpdate("insert into builds (id, team_id, template_id, status, recipe, steps) "
                            + "values (:id, :team, :template, 'queued', cast(:recipe as jsonb), '[]')")
                    .bind("id", build).bind("team", team).bind("template", template).bind("recipe", recipe).execute();
        });
        return build;
    }

    private static String snapshotState(UUID id) {
        return db.withHandle(handle -> handle.createQuery("select state from snapshots where id = :id")
                .bind("id", id).mapTo(String.class).one());
    }
}
