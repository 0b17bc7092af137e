package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.TestRuntime;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.snapshot.PauseResult;
import dev.amber.host.snapshot.SnapshotDamagedException;
import dev.amber.host.snapshot.SnapshotResult;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Pause, resume, live snapshots, clones and rollback on real VMs. One booted sandbox carries a
 * process counting in memory through every step; each step checks that the count went on from
 * where it was saved and that the disk is exactly as it was at the save.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotTest {

    private static final String COUNTER = "nohup sh -c 'i=0; while :; do i=$((i+1)); echo $i > /dev/shm/count; sleep 0.1; done'"
            + " >/dev/null 2>&1 &";

    private final SandboxRuntime runtime = TestRuntime.get();
    private final Layout layout = TestRuntime.layout();
    private final List<String> snapshotIds = new ArrayList<>();
    private final List<Sandbox> made = new ArrayList<>();
    private Sandbox source;
    private String snapshot;

    @BeforeAll
    void bootSourceWithACounter() throws IOException {
        source = keep(runtime.create(SandboxSpec.of(MachineResources.DEFAULT)));
        shell(source, COUNTER + " echo saved > /root/marker; sync; until [ -s /dev/shm/count ]; do sleep 0.1; done");
    }

    @AfterAll
    void cleanUp() throws IOException {
        for (Sandbox sandbox : made) {
            if (runtime.find(sandbox.id()).isPresent()) {
                runtime.destroy(sandbox.id());
            }
        }
        for (String id : snapshotIds) {
            runtime.deleteSnapshot(id);
            assertThat(layout.snapshot(id).dir()).doesNotExist();
        }
    }

    @Test
    @Order(1)
    void pauseFreesTheVmAndResumeContinuesEveryProcess() throws Exception {
        long before = count(source);
        long qemu = source.pid();

        PauseResult paused = runtime.pause(source.id());

        assertThat(source.state()).isEqualTo(SandboxState.PAUSED);
        assertThat(ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(paused.stateBytes()).isPositive();
        runtime.resume(source.id(), source.policy());
        assertThat(source.state()).isEqualTo(SandboxState.RUNNING);
        long after = count(source);
        assertThat(after).isGreaterThanOrEqualTo(before).isLessThan(before + 50);
        assertThat(shell(source, "cat /root/marker")).isEqualTo("saved\n");
        Thread.sleep(500);
        assertThat(count(source)).isGreaterThan(after);
    }

    @Test
    @Order(2)
    void snapshotKeepsTheSourceRunningAndAClonePicksUpItsMemoryAndDisk() throws Exception {
        snapshot = newSnapshotId();
        long beforeSnapshot = count(source);
        SnapshotResult result = runtime.snapshot(source.id(), snapshot);
        shell(source, "echo later > /root/later; sync");

        Sandbox clone = keep(runtime.create(new SandboxSpec(sandboxId(), MachineResources.DEFAULT).fromSnapshot(snapshot)));

        assertThat(result.pauseWindow()).isLessThan(result.took());
        assertThat(source.state()).isEqualTo(SandboxState.RUNNING);
        assertThat(count(clone)).isGreaterThanOrEqualTo(beforeSnapshot);
        assertThat(shell(clone, "cat /root/marker; ls /root")).isEqualTo("saved\nmarker\n");
        assertThat(shell(clone, "hostname")).isEqualTo(clone.id() + "\n");
        assertThat(shell(clone, "head -c 32 /dev/urandom | od -An -x"))
                .isNotEqualTo(shell(source, "head -c 32 /dev/urandom | od -An -x"));
        shell(clone, "echo mine > /root/clone-only; sync");
        assertThat(shell(source, "ls /root")).isEqualTo("later\nmarker\n");
    }

    @Test
    @Order(3)
    void rollbackPutsTheSameSandboxBackToTheSnapshot() throws Exception {
        runtime.restore(source.id(), snapshot);

        assertThat(source.state()).isEqualTo(SandboxState.RUNNING);
        assertThat(shell(source, "ls /root")).isEqualTo("marker\n");
        long count = count(source);
        Thread.sleep(500);
        assertThat(count(source)).isGreaterThan(count);
    }

    @Test
    @Order(4)
    void aCreateFromASnapshotTakesTheMachineStartedAheadForItAndIsAsGoodAsAFreshOne() throws Exception {
        Layout.SnapshotPaths files = layout.snapshot(snapshot);
        // A create is what asks for a machine to wait for the next one; sandboxes of other test classes
        // from other snapshots may have taken this snapshot's place in the bounded pool since.
        runtime.destroy(runtime.create(new SandboxSpec(sandboxId(), MachineResources.DEFAULT, NetworkPolicy.OFFLINE)
                .fromSnapshot(snapshot)).id());
        long waiting = await().atMost(Duration.ofMinutes(1)).until(() -> runtime.prestartedMachines().waitingFor(files),
                Optional::isPresent).orElseThrow();

        Sandbox clone = keep(runtime.create(new SandboxSpec(sandboxId(), MachineResources.DEFAULT, NetworkPolicy.OFFLINE)
                .fromSnapshot(snapshot)));

        assertThat(clone.pid()).isEqualTo(waiting);
        assertThat(clone.network().policy()).isEqualTo(NetworkPolicy.OFFLINE);
        assertThat(shell(clone, "cat /root/marker; ls /root")).isEqualTo("saved\nmarker\n");
        assertThat(shell(clone, "hostname")).isEqualTo(clone.id() + "\n");
        assertThat(shell(clone, "head -c 32 /dev/urandom | od -An -x"))
                .isNotEqualTo(shell(made.get(1), "head -c 32 /dev/urandom | od -An -x"));
        long count = count(clone);
        Thread.sleep(500);
        assertThat(count(clone)).isGreaterThan(count);
        assertThat(layout.sandbox(clone.id()).pidFile()).hasContent(Long.toString(waiting));
    }

    @Test
    @Order(5)
    void aCloneCanBePausedAndSnapshottedItself() throws Exception {
        Sandbox clone = keep(runtime.create(new SandboxSpec(sandboxId(), MachineResources.DEFAULT).fromSnapshot(snapshot)));
        shell(clone, "echo second > /root/second; sync");
        long before = count(clone);

        runtime.pause(clone.id());
        runtime.resume(clone.id(), clone.policy());
        assertThat(count(clone)).isGreaterThanOrEqualTo(before);

        String again = newSnapshotId();
        runtime.snapshot(clone.id(), again);
        Sandbox grandchild = keep(runtime.create(new SandboxSpec(sandboxId(), MachineResources.DEFAULT).fromSnapshot(again)));
        assertThat(shell(grandchild, "ls /root")).isEqualTo("marker\nsecond\n");
        assertThat(count(grandchild)).isGreaterThanOrEqualTo(before);

        Layout.SnapshotPaths files = layout.snapshot(again);
        long waiting = await().atMost(Duration.ofMinutes(1)).until(() -> runtime.prestartedMachines().waitingFor(files),
                Optional::isPresent).orElseThrow();
        runtime.deleteSnapshot(again);
        assertThat(runtime.prestartedMachines().waitingFor(files)).isEmpty();
        assertThat(ProcessHandle.of(waiting).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(files.dir()).doesNotExist();
    }

    @Test
    @Order(6)
    void aSnapshotWithAnAlteredOrMissingFileIsRefusedBeforeAnythingStarts() throws Exception {
        Layout.SnapshotPaths files = layout.snapshot(snapshot);
        try (RandomAccessFile device = new RandomAccessFile(files.deviceState().toFile(), "rw")) {
            device.seek(100);
            int original = device.read();
            device.seek(100);
            device.write(original ^ 0xff);
        }
        String id = sandboxId();
        assertThatThrownBy(() -> runtime.create(new SandboxSpec(id, MachineResources.DEFAULT).fromSnapshot(snapshot)))
                .isInstanceOf(SnapshotDamagedException.class)
                .hasMessageContaining("device.state does not match");
        assertThat(layout.sandbox(id).dir()).doesNotExist();

        Files.delete(files.memory());
        assertThatThrownBy(() -> runtime.create(new SandboxSpec(sandboxId(), MachineResources.DEFAULT).fromSnapshot(snapshot)))
                .isInstanceOf(SnapshotDamagedException.class)
                .hasMessageContaining("missing its file memory");
    }

    private Sandbox keep(Sandbox sandbox) {
        made.add(sandbox);
        return sandbox;
    }

    private String newSnapshotId() {
        String id = "snap-" + UUID.randomUUID();
        snapshotIds.add(id);
        return id;
    }

    private static String sandboxId() {
        return "sb-" + UUID.randomUUID();
    }

    private static long count(Sandbox sandbox) throws IOException {
        // The counter truncates the file before each write: a read may land in between and find it empty.
        return Long.parseLong(shell(sandbox, "c=$(cat /dev/shm/count); while [ -z \"$c\" ]; do sleep 0.05;"
                + " c=$(cat /dev/shm/count); done; echo $c").strip());
    }

    private static String shell(Sandbox sandbox, String script) throws IOException {
        return sandbox.agent().run(ExecCommand.shell(script), null).stdoutText();
    }
}
