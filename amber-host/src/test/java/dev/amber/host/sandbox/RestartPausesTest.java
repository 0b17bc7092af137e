package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.TestLayout;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host stopping on its own pauses its running sandboxes, and its next start (a new runtime on
 * the same data directory) resumes them with their memory, files and network policy.
 */
class RestartPausesTest {

    @Test
    void aSandboxRunningWhenTheHostStopsRunsAgainAfterItsNextStartWithItsProcessesAndPolicy() throws Exception {
        Path data = TestLayout.newDataDirectory();
        Layout layout = TestLayout.withData(data);
        NetworkPolicy policy = NetworkPolicy.of(false, List.of("203.0.113.0/24"), List.of());
        String id;
        SandboxRuntime first = SandboxRuntime.start(layout, RuntimeOptions.defaults().withoutBaseSnapshots());
        try {
            Sandbox sandbox = first.create(new SandboxSpec("sb-" + UUID.randomUUID(), MachineResources.DEFAULT, policy));
            id = sandbox.id();
            sandbox.agent().run(ExecCommand.shell("echo kept > /root/kept; nohup sleep 3600 > /dev/null 2>&1 &"), null);
            assertThat(new RestartPauses(first).pauseRunning()).isEqualTo(1);
        } finally {
            first.close();
        }
        SandboxRuntime second = SandboxRuntime.start(layout, RuntimeOptions.defaults().withoutBaseSnapshots());
        try {
            assertThat(second.find(id)).get().extracting(Sandbox::state).isEqualTo(SandboxState.PAUSED);
            assertThat(new RestartPauses(second).resumeMarked()).isEqualTo(1);
            Sandbox resumed = second.find(id).orElseThrow();
            assertThat(resumed.state()).isEqualTo(SandboxState.RUNNING);
            assertThat(resumed.policy()).isEqualTo(policy);
            assertThat(resumed.agent().run(ExecCommand.shell("cat /root/kept; pgrep -c sleep"), null)
                    .stdoutText()).isEqualTo("kept\n1\n");
            assertThat(new RestartPauses(second).resumeMarked()).as("a second start resumes nothing again").isZero();
        } finally {
            second.find(id).ifPresent(sandbox -> {
                try {
                    second.destroy(id);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            second.close();
            TestLayout.delete(data);
        }
    }
}
