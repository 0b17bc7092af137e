package dev.amber.host.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amber.host.Layout;
import dev.amber.host.TestPlatform;
import dev.amber.host.image.QemuImg;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.process.CommandRunner;
import dev.amber.host.vm.MachinePlatform;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot is opened only if its manifest and every artefact it lists match: these build one
 * with small files through the store's own sealing, damage one thing, and expect a refusal that
 * names it. One made on a platform this host cannot restore is refused for that, naming what differs.
 */
class SnapshotManifestTest {

    private static final String IMAGE_KEY = "image-1";
    private static final String ID = "snap-0123456789";
    private static final MachineResources RESOURCES = new MachineResources(1, 256, 64);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    private Layout layout;
    private Layout.SnapshotPaths snapshot;
    private Path base;

    @BeforeEach
    void sealASnapshotOnABaseDisk() throws IOException {
        layout = new Layout(home);
        base = home.resolve("images/base/rootfs.qcow2");
        Files.createDirectories(base.getParent());
        createDisk(base);
        snapshot = layout.snapshot(ID);
        SnapshotStore.prepare(snapshot);
        Files.write(snapshot.memory(), new byte[64 * 1024]);
        Files.writeString(snapshot.deviceState(), "devices of the machine");
        QemuImg.createOverlay(base, snapshot.disk(), RESOURCES.diskSizeMb());
        new SnapshotStore(layout, IMAGE_KEY, TestPlatform.TCG).seal(snapshot, RESOURCES,
                new AgentState(Map.of("agentVersion", "0.1.0")),
                new NetworkState(SandboxNetwork.GUEST_ADDRESS, SandboxNetwork.GUEST_MAC, true, List.of(),
                        List.of("10.0.0.0/8")));
    }

    @Test
    void intactSnapshotOpensWithEveryArtefactRecorded() throws IOException {
        SnapshotManifest manifest = store().open(ID);

        assertThat(manifest.format()).isEqualTo(SnapshotManifest.FORMAT);
        assertThat(manifest.resources()).isEqualTo(RESOURCES);
        assertThat(manifest.files()).containsOnlyKeys("memory", "device.state", "disk.qcow2");
        assertThat(manifest.diskChain().below()).containsExactly(new DiskChain.Layer(base.toString(), Files.size(base)));
        assertThat(manifest.agent().guestInfo()).containsEntry("agentVersion", "0.1.0");
        assertThat(manifest.network().denyOut()).containsExactly("10.0.0.0/8");
        assertThat(manifest.platform()).isEqualTo(new MachinePlatform("7.2.22", "pc-q35-7.2", "max", "tcg",
                TestPlatform.KERNEL, "0.1.0"));
    }

    @Test
    void snapshotOfAMachineTypeThisQemuDoesNotOfferIsRefusedNamingIt() throws IOException {
        ManifestRewrites.rewrite(snapshot, manifest -> ManifestRewrites.madeOnMachineType(manifest, "pc-q35-8.0"));

        assertThatThrownBy(() -> store().open(ID))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessage("snapshot " + ID + " cannot be restored on this host: it needs machine type pc-q35-8.0, "
                        + "which this host's QEMU 7.2.22 does not offer (it runs machines as pc-q35-7.2)");
    }

    @Test
    void snapshotOfAnOlderQemuRestoresWhileItsMachineTypeIsOffered() throws IOException {
        ManifestRewrites.rewrite(snapshot, manifest -> ManifestRewrites.withPlatform(manifest, manifest.format(),
                new MachinePlatform("7.0.0", "pc-q35-7.0", "max", "tcg", TestPlatform.KERNEL, "0.1.0")));

        assertThat(store().open(ID).platform().qemuVersion()).isEqualTo("7.0.0");
    }

    @Test
    void snapshotMadeUnderKvmIsRefusedUnderTcg() throws IOException {
        ManifestRewrites.rewrite(snapshot, manifest -> ManifestRewrites.withPlatform(manifest, manifest.format(),
                new MachinePlatform("7.2.22", "pc-q35-7.2", "host", "kvm", TestPlatform.KERNEL, "0.1.0")));

        assertThatThrownBy(() -> store().open(ID))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessageEndingWith("it needs CPU model host (this host's is max); accelerator kvm (this host uses tcg)");
    }

    @Test
    void formatTwoSnapshotWithoutPlatformCountsAsMadeOnThisHost() throws IOException {
        ManifestRewrites.rewrite(snapshot, manifest -> ManifestRewrites.withPlatform(manifest, 2, null));

        SnapshotManifest opened = store().open(ID);

        assertThat(opened.format()).isEqualTo(2);
        assertThat(opened.platform()).isNull();
    }

    @Test
    void truncatedMemoryIsRefusedNamingTheFile() throws IOException {
        try (RandomAccessFile memory = new RandomAccessFile(snapshot.memory().toFile(), "rw")) {
            memory.setLength(4096);
        }

        assertRefused("file memory does not match its manifest (4096 bytes");
    }

    @Test
    void alteredDeviceStateIsRefusedNamingTheFile() throws IOException {
        Files.writeString(snapshot.deviceState(), "devices of another one");

        assertRefused("file device.state does not match its manifest");
    }

    @Test
    void missingDeviceStateIsRefused() throws IOException {
        Files.delete(snapshot.deviceState());

        assertRefused("is missing its file device.state");
    }

    @Test
    void layerOnAnotherBaseIsRefusedAsTheWrongDiskChain() throws IOException {
        Path other = home.resolve("images/other/rootfs.qcow2");
        Files.createDirectories(other.getParent());
        createDisk(other);
        Files.delete(snapshot.disk());
        QemuImg.createOverlay(other, snapshot.disk(), RESOURCES.diskSizeMb());

        assertRefused("has the wrong disk chain: disk.qcow2 sits on " + other + ", its manifest records " + base);
    }

    @Test
    void replacedBaseIsRefusedAsAChangedDiskChain() throws IOException {
        Files.write(base, new byte[1024], java.nio.file.StandardOpenOption.APPEND);

        assertRefused("has a changed disk chain: " + base + " is");
    }

    @Test
    void missingBaseIsRefusedAsABrokenDiskChain() throws IOException {
        Files.delete(base);

        assertRefused("has a broken disk chain: " + base + " is missing");
    }

    @Test
    void manifestOfAnotherFormatIsRefusedNamingBothVersions() throws IOException {
        editManifest(manifest -> manifest.put("format", 4));

        assertRefused("has format 4; this host reads formats 1 to 3");
    }

    @Test
    void editedManifestFailsItsChecksum() throws IOException {
        editManifest(manifest -> manifest.put("vcpus", 8));

        assertRefused("has a manifest that fails its checksum");
    }

    @Test
    void snapshotWithoutManifestIsRefusedAsIncomplete() throws IOException {
        Files.delete(snapshot.manifest());

        assertRefused("is incomplete: it has no manifest");
    }

    @Test
    void snapshotOfAnotherGuestImageIsRefused() {
        assertThatThrownBy(() -> new SnapshotStore(layout, "image-2", TestPlatform.TCG).open(ID))
                .isInstanceOf(SnapshotDamagedException.class)
                .hasMessageContaining("was made from guest image image-1; this host runs image image-2");
    }

    @Test
    void formatOneSnapshotIsStillReadAndItsFilesChecked() throws IOException {
        editManifest(manifest -> manifest.put("format", 1)
                .remove(List.of("checksum", "diskChain", "agent", "network", "platform")));

        assertThat(store().open(ID).resources()).isEqualTo(RESOURCES);

        Files.writeString(snapshot.deviceState(), "devices of another one");
        assertRefused("file device.state does not match its manifest");
    }

    /** Rewrites the manifest by hand, as a user or a bug might. */
    private void editManifest(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode manifest = (ObjectNode) JSON.readTree(snapshot.manifest().toFile());
        edit.accept(manifest);
        JSON.writeValue(snapshot.manifest().toFile(), manifest);
    }

    private SnapshotStore store() {
        return new SnapshotStore(layout, IMAGE_KEY, TestPlatform.TCG); // a fresh store: no file is known as verified
    }

    private void assertRefused(String reason) {
        assertThatThrownBy(() -> store().open(ID))
                .isInstanceOf(SnapshotDamagedException.class)
                .hasMessageStartingWith("snapshot " + ID)
                .hasMessageContaining(reason);
    }

    private static void createDisk(Path file) throws IOException {
        CommandRunner.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "64M"), Duration.ofSeconds(30));
    }
}
