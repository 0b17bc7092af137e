package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.vm.MachinePlatform;

import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * Rewrites a sealed snapshot's manifest as a host would have written it (checksum and all): for
 * tests of what a host does with a snapshot made elsewhere, or by an older host.
 */
public final class ManifestRewrites {

    private ManifestRewrites() {}

    /** Replaces the manifest of {@code snapshot} with {@code change} applied to it. */
    public static void rewrite(Layout.SnapshotPaths snapshot, UnaryOperator<SnapshotManifest> change) throws IOException {
        String snapshotId = snapshot.dir().getFileName().toString();
        change.apply(SnapshotManifest.read(snapshot.manifest(), snapshotId)).write(snapshot.manifest());
    }

    /** {@code manifest} in {@code format}, recording {@code platform} (null: none, as before format 3). */
    public static SnapshotManifest withPlatform(SnapshotManifest manifest, int format, MachinePlatform platform) {
        return new SnapshotManifest(format, manifest.snapshotId(), manifest.vcpus(), manifest.memoryMb(),
                manifest.diskSizeMb(), manifest.imageKey(), manifest.files(), manifest.diskChain(), manifest.agent(),
                manifest.network(), platform, manifest.createdAt());
    }

    /** {@code manifest} as made on a host whose QEMU runs machines as {@code machineType}. */
    public static SnapshotManifest madeOnMachineType(SnapshotManifest manifest, String machineType) {
        MachinePlatform platform = manifest.platform();
        return withPlatform(manifest, manifest.format(), new MachinePlatform(platform.qemuVersion(), machineType,
                platform.cpuModel(), platform.accelerator(), platform.kernel(), platform.agentVersion()));
    }
}
