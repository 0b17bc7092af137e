package dev.amber.host.snapshot;

import dev.amber.host.vm.MachinePlatform;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a snapshot is, written last, atomically and checksummed, once every file is complete: the
 * machine it restores to, the guest image its disk chain ends in, each of its files (memory,
 * device state, disk layer) with length and SHA-256, the chain of files under its disk layer, what
 * its guest agent reported, the network its guest was on and the platform it was made on (QEMU,
 * machine type, CPU model, accelerator; a host restores it only on one it can match).
 * {@code format} is bumped whenever the files' meaning changes; formats 1 (files and image alone;
 * {@code diskChain}, {@code agent} and {@code network} absent) and 2 ({@code platform} absent: it
 * was made on this host's platform, as every snapshot then was) are still read, others are refused.
 */
public record SnapshotManifest(int format, String snapshotId, int vcpus, int memoryMb, long diskSizeMb,
                               String imageKey, Map<String, FileDigest> files, DiskChain diskChain, AgentState agent,
                               NetworkState network, MachinePlatform platform, String createdAt) {

    public static final int FORMAT = 3;
    static final String MEMORY = "memory";
    static final String DEVICE_STATE = "device.state";
    static final String DISK = "disk.qcow2";

    public MachineResources resources() {
        return new MachineResources(vcpus, memoryMb, diskSizeMb);
    }

    /** This manifest with its disk layer and the chain under it as they are on another host. */
    SnapshotManifest relocated(Map<String, FileDigest> newFiles, DiskChain newChain) {
        return new SnapshotManifest(format, snapshotId, vcpus, memoryMb, diskSizeMb, imageKey, newFiles, newChain, agent,
                network, platform, createdAt);
    }

    /** Whether this manifest records the disk chain, agent and network (format 1 did not). */
    boolean recordsComponents() {
        return format >= 2;
    }

    static SnapshotManifest read(Path file, String snapshotId) throws IOException {
        return ManifestFiles.read(file, SnapshotManifest.class, FORMAT, "snapshot " + snapshotId);
    }

    void write(Path file) throws IOException {
        ManifestFiles.write(file, this);
    }
}
