package dev.amber.host.image;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crafted qcow2 headers (made by qemu-img, unchecked with -u) against the rule QEMU's disks must pass. */
class DiskChainRuleTest {

    @TempDir
    Path root;
    private Path images;
    private Path snapshots;
    private Path machine;
    private DiskChainRule rule;

    @BeforeEach
    void layout() throws IOException {
        images = Files.createDirectories(root.resolve("home/images/abc"));
        snapshots = Files.createDirectories(root.resolve("data/snapshots"));
        machine = Files.createDirectories(root.resolve("data/sandboxes/sb-1"));
        rule = new DiskChainRule(List.of(root.resolve("home/images"), snapshots));
    }

    @Test
    void overlayOnASnapshotLayerOnTheGuestImageIsAccepted() throws Exception {
        Path base = qcow2(images.resolve("rootfs.qcow2"), null, null);
        Path layer = qcow2(Files.createDirectories(snapshots.resolve("snap-1")).resolve("disk.qcow2"), base, "qcow2");
        Path top = qcow2(machine.resolve("disk.qcow2"), layer, "qcow2");

        assertThatCode(() -> rule.check(top, machine)).doesNotThrowAnyException();
    }

    @Test
    void backingFileOnAHostBlockDeviceAsRawIsRefused() throws Exception {
        Path top = qcow2(machine.resolve("disk.qcow2"), Path.of("/dev/sda"), "raw");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("/dev/sda");
    }

    @Test
    void backingFileThatIsADeviceIsRefusedWhateverFormatItClaims() throws Exception {
        Path top = qcow2(machine.resolve("disk.qcow2"), Path.of("/dev/null"), "qcow2");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void chainPointingAtAHostFileIsRefused() throws Exception {
        Path top = qcow2(machine.resolve("disk.qcow2"), Path.of("/etc/passwd"), "qcow2");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("/etc/passwd").hasMessageContaining("outside");
    }

    @Test
    void symlinkInsideTheSandboxToAHostFileIsRefusedByWhereItLeads() throws Exception {
        Path link = Files.createSymbolicLink(machine.resolve("base.qcow2"), Path.of("/etc/passwd"));
        Path top = qcow2(machine.resolve("disk.qcow2"), link, "qcow2");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("really /etc/passwd");
    }

    @Test
    void layerOfAnotherSandboxIsRefused() throws Exception {
        Path other = qcow2(Files.createDirectories(root.resolve("data/sandboxes/sb-2")).resolve("disk.qcow2"), null, null);
        Path top = qcow2(machine.resolve("disk.qcow2"), other, "qcow2");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("outside");
    }

    @Test
    void rawOrUnrecordedBackingFormatIsRefusedEvenInsideTheSandbox() throws Exception {
        Path base = qcow2(machine.resolve("base.qcow2"), null, null);
        Path top = qcow2(machine.resolve("disk.qcow2"), base, "raw");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("the format raw, not qcow2");
    }

    @Test
    void relativeBackingNameIsRefused() throws Exception {
        qcow2(machine.resolve("base.qcow2"), null, null);
        Path top = qcow2(machine.resolve("disk.qcow2"), Path.of("base.qcow2"), "qcow2");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("no absolute path");
    }

    @Test
    void chainThatLoopsIsRefused() throws Exception {
        Path a = machine.resolve("a.qcow2");
        Path b = qcow2(machine.resolve("b.qcow2"), a, "qcow2");
        qcow2(a, b, "qcow2");

        assertThatThrownBy(() -> rule.check(a, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("loops");
    }

    @Test
    void layerThatIsNotQcow2IsRefused() throws Exception {
        Path top = Files.writeString(machine.resolve("disk.qcow2"), "not an image");

        assertThatThrownBy(() -> rule.check(top, machine)).isInstanceOf(UnsafeDiskException.class)
                .hasMessageContaining("not a qcow2 image");
    }

    /** A 1 GiB qcow2 at {@code file} over {@code backing} of {@code format}, not opened ({@code -u}). */
    private static Path qcow2(Path file, Path backing, String format) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2"));
        if (backing != null) {
            command.addAll(List.of("-u", "-b", backing.toString(), "-F", format));
        }
        command.addAll(List.of(file.toString(), "1G"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("qemu-img failed: " + output);
        }
        return file;
    }
}
