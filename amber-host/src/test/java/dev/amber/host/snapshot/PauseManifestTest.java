package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.TestPlatform;
import dev.amber.host.vm.MachinePlatform;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.MemoryBacking;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A paused sandbox resumes only from the files its pause wrote, as its manifest records them, and
 * only on a platform that can load them.
 */
class PauseManifestTest {

    @TempDir
    Path dir;
    private Layout.SandboxPaths paths;

    @BeforeEach
    void pauseWithRamInItsOwnFile() throws IOException {
        paths = new Layout.SandboxPaths(dir.resolve("sb-0123456789"));
        paths.create();
        Files.write(paths.savedState(), new byte[2048]);
        Files.write(paths.memory(), new byte[8192]);
        new PauseManifest(PauseManifest.FORMAT, "sb-0123456789", 1, 256, 64, false, 2048, 8192,
                TestPlatform.TCG.recording("0.1.0")).write(paths.pauseManifest());
    }

    @Test
    void intactPauseResumesWithRamFromItsOwnFile() throws IOException {
        PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
        manifest.verify(paths, TestPlatform.TCG);

        assertThat(manifest.resources()).isEqualTo(new MachineResources(1, 256, 64));
        assertThat(manifest.platform().machineType()).isEqualTo("pc-q35-7.2");
        assertThat(manifest.memory(paths)).isEqualTo(new MemoryBacking.OwnedFile(paths.memory()));
    }

    @Test
    void truncatedSavedStateIsRefusedNamingTheFile() throws IOException {
        Files.write(paths.savedState(), new byte[100]);

        assertThatThrownBy(() -> PauseManifest.read(paths.pauseManifest()).verify(paths, TestPlatform.TCG))
                .isInstanceOf(SnapshotDamagedException.class)
                .hasMessage("paused sandbox sb-0123456789: file saved.state is 100 bytes, its manifest records 2048");
    }

    @Test
    void missingMemoryFileIsRefused() throws IOException {
        Files.delete(paths.memory());

        assertThatThrownBy(() -> PauseManifest.read(paths.pauseManifest()).verify(paths, TestPlatform.TCG))
                .isInstanceOf(SnapshotDamagedException.class)
                .hasMessage("paused sandbox sb-0123456789 is missing its file memory");
    }

    @Test
    void formatOnePauseWithoutLengthsIsStillRead() throws IOException {
        Files.writeString(paths.pauseManifest(), "{\"format\":1,\"sandboxId\":\"sb-0123456789\",\"vcpus\":1,"
                + "\"memoryMb\":256,\"diskSizeMb\":64,\"ramInState\":true}");

        PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
        manifest.verify(paths, TestPlatform.TCG);

        assertThat(manifest.memory(paths)).isEqualTo(new MemoryBacking.Anonymous());
    }

    @Test
    void pauseSavedUnderKvmIsRefusedOnATcgHostNamingTheDifference() throws IOException {
        new PauseManifest(PauseManifest.FORMAT, "sb-0123456789", 1, 256, 64, false, 2048, 8192,
                new MachinePlatform("7.2.22", "pc-q35-7.2", "host", "kvm", TestPlatform.KERNEL, "0.1.0"))
                .write(paths.pauseManifest());

        assertThatThrownBy(() -> PauseManifest.read(paths.pauseManifest()).verify(paths, TestPlatform.TCG))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessage("paused sandbox sb-0123456789 cannot be restored on this host: it needs CPU model host "
                        + "(this host's is max); accelerator kvm (this host uses tcg)");
    }

    @Test
    void formatTwoPauseWithoutPlatformResumesHere() throws IOException {
        new PauseManifest(2, "sb-0123456789", 1, 256, 64, false, 2048, 8192, null).write(paths.pauseManifest());

        PauseManifest manifest = PauseManifest.read(paths.pauseManifest());
        manifest.verify(paths, TestPlatform.TCG);

        assertThat(manifest.format()).isEqualTo(2);
    }
}
