package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.TestRuntime;
import dev.amber.host.fs.FileTrees;
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
        Files.writeString(orphan.ownerFile(), deadProcess());
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.bootOnly(runtime.platform().machine(), runtime.image(),
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
            FileTrees.deleteTree(live.dir());
        }
    }

    @Test
    void theQemuOfAPrestartedMachineIsFoundInTheDirectoryItWasMovedTo() throws Exception {
        SandboxRuntime runtime = TestRuntime.get();
        Layout layout = new Layout(home);
        Layout.SandboxPaths started = layout.sandbox("sb-" + UUID.randomUUID());
        started.create();
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.bootOnly(runtime.platform().machine(), runtime.image(),
                started.console()), started.qemuLog());
        Layout.SandboxPaths taken = layout.sandbox("sb-" + UUID.randomUUID());
        try {
            Files.move(started.dir(), taken.dir());
            LeftoverSweeper.recordLaunchDir(taken, started.dir());
            Files.writeString(taken.pidFile(), Long.toString(qemu.pid()));
            Files.writeString(taken.ownerFile(), deadProcess());

            LeftoverSweeper.sweep(layout);

            assertThat(qemu.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(taken.dir()).doesNotExist();
        } finally {
            qemu.stop(java.time.Duration.ofSeconds(1));
        }
    }

    /** The PID of a host agent that has died. */
    private static String deadProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return Long.toString(process.pid());
    }
}
