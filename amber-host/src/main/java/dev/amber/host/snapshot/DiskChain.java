package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.image.QemuImg;
import dev.amber.host.image.Qcow2Header;
import dev.amber.host.vm.FdPassingMonitor;
import dev.amber.host.vm.QmpClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The disk component of a snapshot: its frozen layer, and the read-only files that layer reads
 * through to ({@code below}: its backing file, that file's backing file, and so on down to a
 * guest or template image), each pinned by path and length. A clone's disk is a fresh overlay on
 * the layer; a chain that no longer matches (a base replaced, a layer re-pointed) is refused, as
 * the guest would read another disk than the one it was saved with.
 */
public record DiskChain(List<Layer> below) {

    /** One file under a snapshot's layer. */
    public record Layer(String file, long bytes) {}

    public DiskChain {
        below = List.copyOf(requireNonNull(below, "below"));
    }

    /** Saves the chain under {@code layer} as it is now. */
    static DiskChain of(Path layer) throws IOException {
        List<Layer> below = new ArrayList<>();
        for (Optional<Path> next = Qcow2Header.backingFile(layer); next.isPresent();
             next = Qcow2Header.backingFile(next.get())) {
            below.add(new Layer(next.get().toString(), Files.size(next.get())));
        }
        return new DiskChain(below);
    }

    /** Checks that {@code layer} still sits on this chain; the error names the first file that differs. */
    void verify(String snapshotId, Path layer) throws IOException {
        Path upper = layer;
        for (Layer expected : below) {
            Optional<Path> actual = Qcow2Header.backingFile(upper);
            if (actual.isEmpty() || !actual.get().toString().equals(expected.file())) {
                throw new SnapshotDamagedException("snapshot " + snapshotId + " has the wrong disk chain: "
                        + upper.getFileName() + " sits on " + actual.map(Path::toString).orElse("nothing")
                        + ", its manifest records " + expected.file());
            }
            long bytes;
            try {
                bytes = Files.size(actual.get());
            } catch (NoSuchFileException e) {
                throw new SnapshotDamagedException("snapshot " + snapshotId + " has a broken disk chain: "
                        + expected.file() + " is missing");
            }
            if (bytes != expected.bytes()) {
                throw new SnapshotDamagedException("snapshot " + snapshotId + " has a changed disk chain: "
                        + expected.file() + " is " + bytes + " bytes, its manifest records " + expected.bytes());
            }
            upper = actual.get();
        }
        Optional<Path> extra = Qcow2Header.backingFile(upper);
        if (extra.isPresent()) {
            throw new SnapshotDamagedException("snapshot " + snapshotId + " has the wrong disk chain: " + upper
                    + " sits on " + extra.get() + ", its manifest records nothing below it");
        }
    }

    /** Restores a disk from a snapshot's layer: a fresh overlay on it, of the machine's size. */
    static void overlay(Path layer, Path disk, long diskSizeMb) throws IOException {
        Files.deleteIfExists(disk);
        QemuImg.createOverlay(layer, disk, diskSizeMb);
    }

    /**
     * Freezes the disk of a stopped VM into {@code layer}: the current overlay moves there (QEMU
     * keeps it open), a new overlay on top of it takes its place and QEMU switches to it, as node
     * {@code node}. On failure the overlay is back where it was.
     */
    static void freeze(LiveMachine machine, Path layer, String node) throws IOException {
        Layout.SandboxPaths paths = machine.paths();
        QmpClient qmp = machine.qmp();
        Files.move(paths.disk(), layer);
        boolean added = false;
        try {
            QemuImg.createOverlay(layer, paths.disk(), machine.resources().diskSizeMb());
            int fdSet;
            try (FdPassingMonitor monitor = FdPassingMonitor.connect(paths.qmpFdSocket())) {
                fdSet = monitor.addFdSet(paths.disk());
            }
            qmp.blockdevAddQcow2(node, "/dev/fdset/" + fdSet); // the running disk becomes its backing, below
            added = true;
            qmp.blockdevSnapshot("root", node);
        } catch (IOException | RuntimeException e) {
            if (added) {
                qmp.blockdevDel(node);
            }
            Files.deleteIfExists(paths.disk());
            Files.move(layer, paths.disk());
            throw e;
        }
    }
}
