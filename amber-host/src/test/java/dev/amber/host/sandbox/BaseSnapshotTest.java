package dev.amber.host.sandbox;

import dev.amber.host.TestRuntime;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.snapshot.PauseResult;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.MemoryBacking;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BaseSnapshotTest {

    /** A size no other test uses; its base snapshot (kept from an earlier run) is forgotten first. */
    private static final MachineResources SIZE = new MachineResources(1, 320, MachineResources.DEFAULT_DISK_MB);

    private final SandboxRuntime runtime = TestRuntime.get();

    @Test
    void afterTheFirstBootOfASizeLaterSandboxesAreRestoredWithTheirOwnIdentity() throws Exception {
        runtime.baseSnapshots().forget(SIZE);
        Sandbox booted = runtime.create(SandboxSpec.of(SIZE));
        try {
            pauseAndResumeABootedSandboxWhoseMemoryIsItsOwnFile(booted);
            await().atMost(Duration.ofMinutes(3)).until(() -> runtime.hasBaseSnapshot(SIZE));
            Sandbox first = runtime.create(SandboxSpec.of(SIZE));
            Sandbox second = runtime.create(SandboxSpec.of(SIZE));
            try {
                assertThat(booted.memory()).as("booted: RAM in its own file").isInstanceOf(MemoryBacking.OwnedFile.class);
                assertThat(first.memory()).as("restored: RAM mapped privately from the base")
                        .isInstanceOf(MemoryBacking.PrivateCopy.class);
                assertThat(shell(first, "hostname")).isEqualTo(first.id() + "\n");
                assertThat(shell(second, "hostname")).isEqualTo(second.id() + "\n");
                assertThat(shell(first, "head -c 32 /dev/urandom | od -An -x"))
                        .isNotEqualTo(shell(second, "head -c 32 /dev/urandom | od -An -x"));
                long skew = Math.abs(Long.parseLong(shell(first, "date +%s").strip()) - System.currentTimeMillis() / 1000);
                assertThat(skew).isLessThanOrEqualTo(2);
                shell(first, "echo one > /root/own; sync");
                assertThat(shell(second, "ls /root")).isEmpty();
            } finally {
                runtime.destroy(first.id());
                runtime.destroy(second.id());
            }
        } finally {
            runtime.destroy(booted.id());
        }
    }

    private void pauseAndResumeABootedSandboxWhoseMemoryIsItsOwnFile(Sandbox booted) throws IOException {
        shell(booted, "echo kept > /dev/shm/kept");
        PauseResult paused = runtime.pause(booted.id());
        assertThat(paused.stateBytes()).as("devices only: the RAM stays in its file").isLessThan(16L << 20);
        runtime.resume(booted.id(), booted.policy());
        assertThat(shell(booted, "cat /dev/shm/kept")).isEqualTo("kept\n");
    }

    private static String shell(Sandbox sandbox, String script) throws IOException {
        return sandbox.agent().run(ExecCommand.shell(script), null).stdoutText();
    }
}
