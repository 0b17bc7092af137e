package dev.amber.host.image;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.fs.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Root disks of image templates: a snapshot's disk chain flattened into one standalone, sparse
 * qcow2, or an imported OCI image, that sandboxes cold-boot with the guest image's kernel and initramfs. An image counts once
 * its manifest is written (last); one made for another guest image (kernel) is refused.
 */
public final class TemplateImages {

    private static final Duration FLATTEN_TIMEOUT = Duration.ofMinutes(20);

    /** What an image holds and was made for. */
    record Manifest(int format, String imageId, String guestImageKey, long diskSizeMb, long bytes) {
        static final int FORMAT = 1;
    }

    private final Layout layout;
    private final String guestImageKey;

    public TemplateImages(Layout layout, String guestImageKey) {
        this.layout = layout;
        this.guestImageKey = guestImageKey;
    }

    /** Flattens {@code layer} (a snapshot's disk) into image {@code imageId}; returns the bytes it occupies. */
    public long flatten(Layout.SnapshotPaths layer, String imageId, long diskSizeMb) throws IOException {
        return make(imageId, diskSizeMb, (work, disk) -> QemuImg.flatten(layer.disk(), disk, FLATTEN_TIMEOUT));
    }

    /** Makes image {@code imageId} of the OCI archive {@code uri} on this host; returns the bytes it occupies. */
    public long importArchive(String uri, Path inject, String imageId, long diskSizeMb) throws IOException {
        return make(imageId, diskSizeMb, (work, disk) -> OciImport.toDisk(uri, inject, work, disk, diskSizeMb));
    }

    @FunctionalInterface
    private interface DiskMaker {
        void make(Path work, Path disk) throws IOException;
    }

    /** Makes the disk in a partial directory, writes the manifest, then moves it in place; idempotent. */
    private long make(String imageId, long diskSizeMb, DiskMaker maker) throws IOException {
        Layout.ImagePaths target = layout.templateImage(imageId);
        if (Files.exists(target.manifest())) {
            return JsonFiles.read(target.manifest(), Manifest.class).bytes();
        }
        Layout.ImagePaths partial = new Layout.ImagePaths(target.dir().resolveSibling(imageId + ".partial"));
        FileTrees.deleteTree(partial.dir());
        Files.createDirectories(partial.dir().resolve("work"));
        try {
            maker.make(partial.dir().resolve("work"), partial.disk());
            FileTrees.deleteTree(partial.dir().resolve("work"));
            long bytes = Files.size(partial.disk()); // qcow2 stores only the clusters that hold data
            JsonFiles.writeAtomically(partial.manifest(), new Manifest(Manifest.FORMAT, imageId, guestImageKey,
                    diskSizeMb, bytes));
            FileTrees.deleteTree(target.dir());
            Files.move(partial.dir(), target.dir(), StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } finally {
            FileTrees.deleteTree(partial.dir());
        }
    }

    /** An image's root disk and the size of its virtual disk, in MiB. */
    public record Image(Path disk, long diskSizeMb) {}

    /** Image {@code imageId}, checked: complete, and made for this host's guest image. */
    public Image open(String imageId) throws IOException {
        Layout.ImagePaths image = layout.templateImage(imageId);
        if (!Files.exists(image.manifest())) {
            throw new ImageNotFoundException("no template image " + imageId + " on this host");
        }
        Manifest manifest = JsonFiles.read(image.manifest(), Manifest.class);
        if (!guestImageKey.equals(manifest.guestImageKey())) {
            throw new ImageMismatchException("template image " + imageId + " was made for guest image "
                    + manifest.guestImageKey() + "; this host runs " + guestImageKey + ": build the template again");
        }
        return new Image(image.disk(), manifest.diskSizeMb());
    }

    /** Removes images half made by a flatten that died with an earlier run. */
    public void removePartial() throws IOException {
        if (!Files.isDirectory(layout.templateImages())) {
            return;
        }
        try (Stream<Path> dirs = Files.list(layout.templateImages())) {
            for (Path dir : dirs.filter(dir -> dir.getFileName().toString().endsWith(".partial")).toList()) {
                FileTrees.deleteTree(dir);
            }
        }
    }

    /** Deletes an image's files; an unknown id is not an error. */
    public void delete(String imageId) throws IOException {
        FileTrees.deleteTree(layout.templateImage(imageId).dir());
    }
}
