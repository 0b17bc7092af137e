package dev.amber.server.quota;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.team.TeamQuota;
import dev.amber.api.team.TeamUsage;
import dev.amber.server.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quotas against a real PostgreSQL: what counts, and two inserts racing for the last slot. */
class TeamQuotasTest {

    private static TestDatabase database;
    private static TeamQuotas quotas;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        quotas = new TeamQuotas(database.jdbi());
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void aTeamWithoutAQuotaHasNoLimits() {
        UUID team = database.newTeam("free");

        assertThat(quotas.quota(team)).isEqualTo(TeamQuota.UNLIMITED);
        database.jdbi().useTransaction(handle -> quotas.admit(handle, team, Demand.sandboxes(1000, 16, 16384)));
    }

    @Test
    void pausedSandboxesHoldASlotButNoVcpusAndTemplateLayersDoNotCount() {
        UUID team = database.newTeam("counted");
        UUID running = sandbox(team, "running", 2, 1024);
        sandbox(team, "paused", 1, 512);
        sandbox(team, "stopped", 4, 4096);
        snapshot(team, running, "snapshot", "ready", 2L << 30);
        snapshot(team, running, "checkpoint", "failed", 1L << 30);
        snapshot(team, running, "layer", "ready", 5L << 30);

        assertThat(quotas.usage(team)).isEqualTo(new TeamUsage(2, 2, 1024, 1, 2.0));
    }

    @Test
    void exceedingALimitIs429WithTheQuotaItsLimitWhatIsUsedAndWhatWasAsked() {
        UUID team = database.newTeam("limited");
        sandbox(team, "running", 2, 1024);
        quotas.set(team, new TeamQuota(null, 3, null, null, null));

        assertThatThrownBy(() -> quotas.check(team, Demand.sandboxes(1, 2, 512)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
                    assertThat(e.details()).containsEntry("quota", "maxRunningVcpus").containsEntry("limit", 3)
                            .containsEntry("used", 2L).containsEntry("requested", 2L);
                });
        quotas.check(team, Demand.sandboxes(1, 1, 512));
    }

    @Test
    void aNewSnapshotIsRefusedOnceTheTeamsSnapshotsTakeTheirGibibytes() {
        UUID team = database.newTeam("full-disk");
        UUID source = sandbox(team, "running", 1, 512);
        snapshot(team, source, "checkpoint", "ready", 3L << 30);
        quotas.set(team, new TeamQuota(null, null, null, null, 3));

        assertThatThrownBy(() -> quotas.check(team, Demand.snapshot())).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.details()).containsEntry("quota", "maxSnapshotGiB"));
        quotas.check(team, Demand.sandboxes(1, 1, 512));
    }

    @Test
    void twoCreatesRacingForTheLastSlotDoNotBothTakeIt() throws Exception {
        UUID team = database.newTeam("racing");
        quotas.set(team, new TeamQuota(1, null, null, null, null));
        CountDownLatch ready = new CountDownLatch(2);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                results.add(threads.submit(() -> {
                    ready.countDown();
                    ready.await();
                    try {
                        database.jdbi().useTransaction(handle -> {
                            quotas.admit(handle, team, Demand.sandboxes(1, 1, 512));
                            insertSandbox(handle, team, "creating", 1, 512);
                            Thread.sleep(300); // the other create must wait here, not count before this commits
                        });
                        return true;
                    } catch (ApiException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
                        return false;
                    }
                }));
            }
        }

        assertThat(results.stream().map(TeamQuotasTest::result).toList()).containsExactlyInAnyOrder(true, false);
        assertThat(quotas.usage(team).sandboxes()).isEqualTo(1);
    }

    private static boolean result(Future<Boolean> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static UUID sandbox(UUID team, String state, int vcpus, int memoryMb) {
        return database.jdbi().withHandle(handle -> insertSandbox(handle, team, state, vcpus, memoryMb));
    }

    private static UUID insertSandbox(Handle handle, UUID team, String state, int vcpus, int memoryMb) {
        UUID id = UUID.randomUUID();
        handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec)
                        values (:id, :team, :state, :vcpus, :memory, 0)""")
                .bind("id", id).bind("team", team).bind("state", state).bind("vcpus", vcpus).bind("memory", memoryMb)
                .execute();
        return id;
    }

    private static void snapshot(UUID team, UUID sandbox, String kind, String state, long bytes) {
        database.jdbi().useHandle(handle -> handle.createUpdate("""
                        insert into snapshots (id, team_id, kind, state, sandbox_id, vcpus, memory_mb, disk_size_mb,
                                               size_bytes)
                        values (:id, :team, :kind, :state, :sandbox, 1, 512, 5120, :bytes)""")
                .bind("id", UUID.randomUUID()).bind("team", team).bind("kind", kind).bind("state", state)
                .bind("sandbox", sandbox).bind("bytes", bytes).execute());
    }
}
