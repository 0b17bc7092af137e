package dev.amber.host.sandbox;

import dev.amber.host.snapshot.JsonFiles;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Written, atomically, once a pause has saved everything: the machine to restore, and whether the
 * saved state carries the RAM ({@code ramInState}: the VM mapped a snapshot's memory privately and
 * had no RAM file of its own) or the RAM is the sandbox's own memory file.
 */
record PauseManifest(int format, String sandboxId, int vcpus, int memoryMb, long diskSizeMb, boolean ramInState) {

    static final int FORMAT = 1;

    static PauseManifest of(Sandbox sandbox, boolean ramInState) {
        MachineResources resources = sandbox.spec().resources();
        return new PauseManifest(FORMAT, sandbox.id(), resources.vcpus(), resources.memoryMb(), resources.diskSizeMb(),
                ramInState);
    }

    MachineResources resources() {
        return new MachineResources(vcpus, memoryMb, diskSizeMb);
    }

    static PauseManifest read(Path file) throws IOException {
        PauseManifest manifest = JsonFiles.read(file, PauseManifest.class);
        if (manifest.format() != FORMAT) {
            throw new IOException("paused state " + file + " has format " + manifest.format() + ", expected " + FORMAT);
        }
        return manifest;
    }

    void write(Path file) throws IOException {
        JsonFiles.writeAtomically(file, this);
    }
}
