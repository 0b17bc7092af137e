package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.TestRuntime;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LifecycleTest {

    private final SandboxRuntime runtime = TestRuntime.get();
    private final Layout layout = TestRuntime.layout();

    @Test
    void fiveSandboxesRunAtOnceAndLeaveNothingBehind() throws Exception {
        List<Sandbox> sandboxes = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Sandbox>> creating = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                creating.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Sandbox> future : creating) {
                sandboxes.add(future.get(180, TimeUnit.SECONDS));
            }
        }
        for (Sandbox sandbox : sandboxes) {
            assertThat(sandbox.agent().run(ExecCommand.of("hostname"), null).stdoutText()).isEqualTo(sandbox.id() + "\n");
        }
        List<ProcessHandle> qemus = sandboxes.stream().map(s -> ProcessHandle.of(s.pid()).orElseThrow()).toList();
        List<Path> dirs = sandboxes.stream().map(s -> layout.sandbox(s.id()).dir()).toList();
        assertThat(dirs).allMatch(Files::isDirectory);

        for (Sandbox sandbox : sandboxes) {
            runtime.destroy(sandbox.id());
        }

        assertThat(qemus).noneMatch(ProcessHandle::isAlive);
        assertThat(dirs).noneMatch(Files::exists);
        assertThat(sandboxes).allMatch(s -> s.state() == SandboxState.STOPPED);
        assertThat(runtime.list()).doesNotContainAnyElementsOf(sandboxes);
        assertThatThrownBy(() -> sandboxes.getFirst().agent()).isInstanceOf(SandboxNotRunningException.class);
    }

    @Test
    void qemuKilledFromOutsideIsReportedAsCrashedWithAReason() throws Exception {
        Sandbox sandbox = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
        long killedAt = System.nanoTime();
        ProcessHandle.of(sandbox.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> sandbox.state() == SandboxState.CRASHED);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(sandbox.crashReason()).hasValueSatisfying(reason -> assertThat(reason).contains("killed by signal 9"));
        assertThatThrownBy(sandbox::agent).isInstanceOf(SandboxNotRunningException.class).hasMessageContaining("crashed");

        runtime.destroy(sandbox.id());
        assertThat(layout.sandbox(sandbox.id()).dir()).doesNotExist();
    }

    @Test
    void resourcesOutsideTheLimitsAreRefusedBeforeAnythingStarts() throws Exception {

        assertThatThrownBy(() -> new MachineResources(0, 256, 5120)).hasMessageContaining("vcpus");
        assertThatThrownBy(() -> new MachineResources(1000, 256, 5120)).hasMessageContaining("vcpus");
        assertThatThrownBy(() -> new MachineResources(1, 64, 5120)).hasMessageContaining("memoryMb");
        assertThatThrownBy(() -> runtime.create(SandboxSpec.of(new MachineResources(1, 256, 1024))))
                .hasMessageContaining("diskSizeMb must be at least");
        assertThatThrownBy(() -> new SandboxSpec("../../etc", MachineResources.DEFAULT)).hasMessageContaining("invalid sandbox id");
        assertThat(runtime.list()).noneMatch(sandbox -> sandbox.spec().resources().diskSizeMb() == 1024);
        try (var dirs = Files.list(layout.sandboxes())) {
            assertThat(dirs.toList()).allMatch(dir -> runtime.find(dir.getFileName().toString()).isPresent()
                    || !Files.exists(dir), "every sandbox directory belongs to a live sandbox");
        }
    }
}
