package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.vm.HostPlatform;
import dev.amber.host.vm.MachinePlatform;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.MemoryBacking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a paused sandbox left on disk, written (as every manifest: last, atomically, checksummed)
 * once the pause saved everything: the machine to restore, whether the saved state carries the RAM
 * ({@code ramInState}: the VM mapped a snapshot's memory privately and had no RAM file of its own)
 * or the RAM is the sandbox's own memory file, the lengths of both files (not their hashes:
 * hashing would lengthen every pause), and the platform it was saved on (a host agent started
 * after a QEMU upgrade, or with another accelerator, must still be able to load it). Formats 1
 * (without lengths) and 2 (without platform: saved on this host's) are still read.
 */
public record PauseManifest(int format, String sandboxId, int vcpus, int memoryMb, long diskSizeMb, boolean ramInState,
                            long stateBytes, long memoryBytes, MachinePlatform platform) {

    static final int FORMAT = 3;

    static PauseManifest of(LiveMachine machine, boolean ramInState, MachinePlatform platform) throws IOException {
        MachineResources resources = machine.resources();
        Layout.SandboxPaths paths = machine.paths();
        return new PauseManifest(FORMAT, machine.id(), resources.vcpus(), resources.memoryMb(),
                resources.diskSizeMb(), ramInState, Files.size(paths.savedState()),
                ramInState ? 0 : Files.size(paths.memory()), platform);
    }

    public MachineResources resources() {
        return new MachineResources(vcpus, memoryMb, diskSizeMb);
    }

    /** Where the RAM of the resumed machine lives: in a fresh anonymous mapping, or in its own file again. */
    MemoryBacking memory(Layout.SandboxPaths paths) {
        return ramInState ? new MemoryBacking.Anonymous() : new MemoryBacking.OwnedFile(paths.memory());
    }

    public static PauseManifest read(Path file) throws IOException {
        return ManifestFiles.read(file, PauseManifest.class, FORMAT, "paused sandbox " + file.getParent().getFileName());
    }

    void write(Path file) throws IOException {
        ManifestFiles.write(file, this);
    }

    /**
     * Refuses to resume from files that are not the ones this pause wrote
     * ({@link SnapshotDamagedException}), or on a platform that cannot load them
     * ({@link SnapshotIncompatibleException}).
     */
    void verify(Layout.SandboxPaths paths, HostPlatform host) throws IOException {
        SnapshotIncompatibleException.requireRestorable("paused sandbox " + sandboxId, platform, host);
        if (format == ManifestFiles.UNCHECKED_FORMAT) {
            return;
        }
        requireLength(paths.savedState(), stateBytes);
        if (!ramInState) {
            requireLength(paths.memory(), memoryBytes);
        }
    }

    private void requireLength(Path file, long expected) throws IOException {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotDamagedException("paused sandbox " + sandboxId + " is missing its file " + file.getFileName());
        }
        if (bytes != expected) {
            throw new SnapshotDamagedException("paused sandbox " + sandboxId + ": file " + file.getFileName() + " is "
                    + bytes + " bytes, its manifest records " + expected);
        }
    }
}
