package dev.amber.host.snapshot;

import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a snapshot is, written last, atomically, once every file is complete: the machine it
 * restores to, the guest image its disk chain ends in, and each file's length and SHA-256.
 * {@code format} is bumped whenever the files' meaning changes; other formats are refused.
 */
public record SnapshotManifest(int format, String snapshotId, int vcpus, int memoryMb, long diskSizeMb,
                               String imageKey, Map<String, FileDigest> files, String createdAt) {

    public static final int FORMAT = 1;
    static final String MEMORY = "memory";
    static final String DEVICE_STATE = "device.state";
    static final String DISK = "disk.qcow2";

    public MachineResources resources() {
        return new MachineResources(vcpus, memoryMb, diskSizeMb);
    }

    static SnapshotManifest read(Path file) throws IOException {
        return JsonFiles.read(file, SnapshotManifest.class);
    }

    void write(Path file) throws IOException {
        JsonFiles.writeAtomically(file, this);
    }
}
