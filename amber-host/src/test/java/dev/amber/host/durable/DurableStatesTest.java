package dev.amber.host.durable;

import dev.amber.host.Layout;
import dev.amber.host.TestLayout;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;
import dev.amber.store.Chunks;
import dev.amber.store.DurableStore;
import dev.amber.store.LocalS3;
import dev.amber.store.StateKind;
import dev.amber.store.StoreDamagedException;
import dev.amber.store.StoredManifest;
import dev.amber.store.UploadReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two hosts' runtimes (each its own data directory) and one real S3-compatible store: what one
 * host stored, the other starts from, although it never had the files; a damaged store is refused
 * and leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurableStatesTest {

    private static final String COUNTER = "nohup sh -c 'i=0; while :; do i=$((i+1)); echo $i > /dev/shm/count; sleep 0.1; done'"
            + " >/dev/null 2>&1 &";
    private static final long ROOMY = 20L << 30;
    private static final RuntimeOptions PLAIN = RuntimeOptions.defaults().withoutBaseSnapshots().withPrestartedMachines(0);

    private Path dataA;
    private Path dataB;
    private Path s3Dir;
    private LocalS3 s3;
    private DurableStore store;
    private SandboxRuntime hostA;
    private SandboxRuntime hostB;
    private Sandbox source;
    private String snapshotId;

    @BeforeAll
    void start() throws Exception {
        s3Dir = Files.createTempDirectory("amber-s3-");
        s3 = LocalS3.start(s3Dir);
        store = DurableStore.open(s3.settings("", 4, 0), Duration.ZERO, Clock.systemUTC());
        dataA = TestLayout.newDataDirectory();
        dataB = TestLayout.newDataDirectory();
        hostA = SandboxRuntime.start(TestLayout.withData(dataA), PLAIN);
        hostB = SandboxRuntime.start(TestLayout.withData(dataB), PLAIN);
        hostA.keepStateIn(store, "host-a", ROOMY);
        hostB.keepStateIn(store, "host-b", 1); // keeps nothing it fetched that nothing stands on
        source = hostA.create(SandboxSpec.of(MachineResources.DEFAULT));
        shell(source, COUNTER + " echo from-a > /root/marker; sync; until [ -s /dev/shm/count ]; do sleep 0.1; done");
    }

    @AfterAll
    void stop() throws Exception {
        hostA.close();
        hostB.close();
        store.close();
        s3.close();
        TestLayout.delete(dataA);
        TestLayout.delete(dataB);
        TestLayout.delete(s3Dir);
    }

    @Test
    @Order(1)
    void aSnapshotStoredByOneHostStartsSandboxesOnAnother() throws IOException {
        snapshotId = "snap-" + UUID.randomUUID();
        long before = count(source);
        hostA.snapshot(source.id(), snapshotId);

        UploadReport first = hostA.storeSnapshot(snapshotId);
        UploadReport again = hostA.storeSnapshot(snapshotId);

        assertThat(first.uploadedBytes()).isPositive();
        assertThat(first.storedBytes()).as("zero pages are not stored").isLessThan(first.bytes());
        assertThat(again.uploadedBytes()).as("nothing is sent twice").isZero();

        Sandbox clone = hostB.create(SandboxSpec.of(MachineResources.DEFAULT).fromSnapshot(snapshotId));
        try {
            assertThat(shell(clone, "cat /root/marker").strip()).isEqualTo("from-a");
            assertThat(count(clone)).as("the counter went on from the snapshot").isGreaterThanOrEqualTo(before);
            assertThat(Files.exists(TestLayout.withData(dataB).snapshot(snapshotId).manifest())).isTrue();
        } finally {
            hostB.destroy(clone.id());
        }
    }

    @Test
    @Order(2)
    void aSandboxPausedOnAHostThatIsGoneResumesOnAnother() throws IOException {
        shell(source, "echo paused-on-a > /root/pause-marker; sync");
        hostA.pause(source.id());
        DurableStates.StoredPause stored = hostA.storePaused(source.id());
        hostA.destroy(source.id()); // host A's copy is gone, as with its machine

        Sandbox resumed = hostB.resume(source.id(), NetworkPolicy.DEFAULT, stored.storedId());
        assertThat(TestLayout.withData(dataB).snapshot(snapshotId).dir())
                .as("the fetched snapshot no sandbox stands on, evicted from a full cache").doesNotExist();
        try {
            long first = count(resumed);
            assertThat(shell(resumed, "cat /root/pause-marker /root/marker").strip()).isEqualTo("paused-on-a\nfrom-a");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(resumed) > first);
        } finally {
            hostB.destroy(resumed.id());
        }
    }

    @Test
    @Order(3)
    void aCorruptOrMissingChunkIsRefusedAndNothingIsHalfRestored() throws IOException {
        StoredManifest manifest = store.manifests().get(StateKind.SNAPSHOT, snapshotId).orElseThrow();
        String victim = manifest.files().stream().filter(file -> file.name().equals("device.state")).findFirst()
                .orElseThrow().chunks().getFirst();
        Layout layoutC = TestLayout.withData(TestLayout.newDataDirectory());
        try (SandboxRuntime hostC = SandboxRuntime.start(layoutC, PLAIN)) {
            hostC.keepStateIn(store, "host-c", ROOMY);
            store.objects().put(Chunks.key(victim), "not the chunk".getBytes());

            assertThatThrownBy(() -> hostC.create(SandboxSpec.of(MachineResources.DEFAULT).fromSnapshot(snapshotId)))
                    .isInstanceOf(StoreDamagedException.class).hasMessageContaining("snapshot " + snapshotId)
                    .hasMessageContaining("corrupt");
            assertThat(layoutC.snapshot(snapshotId).dir()).doesNotExist();

            store.objects().delete(Chunks.key(victim));
            assertThatThrownBy(() -> hostC.create(SandboxSpec.of(MachineResources.DEFAULT).fromSnapshot(snapshotId)))
                    .isInstanceOf(StoreDamagedException.class).hasMessageContaining("missing");
            assertThat(layoutC.snapshot(snapshotId).dir()).doesNotExist();
            assertThat(hostC.list()).isEmpty();
        } finally {
            TestLayout.delete(layoutC.snapshots().getParent());
        }
    }

    private static long count(Sandbox sandbox) throws IOException {
        return Long.parseLong(shell(sandbox, "c=$(cat /dev/shm/count); while [ -z \"$c\" ]; do sleep 0.05;"
                + " c=$(cat /dev/shm/count); done; echo $c").strip());
    }

    private static String shell(Sandbox sandbox, String script) throws IOException {
        return sandbox.agent().run(ExecCommand.shell(script), null).stdoutText();
    }
}
