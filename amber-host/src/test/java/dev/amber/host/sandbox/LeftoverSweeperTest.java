package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.TestRuntime;
import dev.amber.host.vm.QemuCommandLine;
import dev.amber.host.vm.QemuProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LeftoverSweeperTest {

    @TempDir
    Path home;

    @Test
    void qemuAndFilesOfADeadHostAgentAreRemovedButALiveOnesAreKept() throws Exception {
        SandboxRuntime runtime = TestRuntime.get();
        Layout layout = new Layout(home);
        Layout.SandboxPaths orphan = layout.sandbox("sb-" + UUID.randomUUID());
        orphan.create();
        Process deadAgent = new ProcessBuilder("true").start();
        deadAgent.waitFor();
        Files.writeString(orphan.ownerFile(), Long.toString(deadAgent.pid()));
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.bootOnly(runtime.accelerator(), runtime.image(),
                orphan.console()), orphan.qemuLog());
        Files.writeString(orphan.pidFile(), Long.toString(qemu.pid()));

        Layout.SandboxPaths live = layout.sandbox("sb-" + UUID.randomUUID());
        live.create();
        Files.writeString(live.ownerFile(), Long.toString(ProcessHandle.current().pid()));

        try {
            LeftoverSweeper.sweep(layout);

            assertThat(qemu.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(orphan.dir()).doesNotExist();
            assertThat(live.dir()).isDirectory();
        } finally {
            qemu.stop(java.time.Duration.ofSeconds(1));
            LeftoverSweeper.deleteTree(live.dir());
        }
    }
}
