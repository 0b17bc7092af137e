package dev.amber.host.image;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A bootable guest: kernel, initramfs and read-only root disk, as built by scripts/setup-host, and
 * what an imported OCI image gets injected ({@code ociInject}: the agent, its runtime, busybox, tini
 * and an init). {@code kernelVersion}: the kernel's package and version as setup recorded them
 * ("linux-image-6.1.0-57-cloud-amd64 6.1.192-3"), for the record of where saved machines were made.
 */
public record GuestImage(String key, Path kernel, Path initramfs, Path rootDisk, long rootDiskMb, Path ociInject,
                         String kernelVersion) {

    /**
     * Reads the image in {@code dir}; fails with what to run when it is missing or incomplete.
     * The link {@code images/base} is resolved once, here: overlays name the content-keyed directory
     * as their backing file, so a later setup that moves the link never changes a running disk.
     */
    public static GuestImage load(Path link) throws IOException {
        if (!Files.exists(link)) {
            throw new IOException("no guest image at " + link + ": run ./amber setup first");
        }
        Path dir = link.toRealPath();
        Path properties = dir.resolve("image.properties");
        if (!Files.exists(dir.resolve(".complete")) || !Files.exists(properties)) {
            throw new IOException("no guest image at " + dir + ": run ./amber setup first");
        }
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(properties)) {
            values.load(reader);
        }
        Path kernel = dir.resolve("vmlinuz");
        Path initramfs = dir.resolve("initramfs.img");
        Path rootDisk = dir.resolve("rootfs.qcow2");
        Path ociInject = dir.resolve("oci-inject.tar");
        for (Path file : new Path[] {kernel, initramfs, rootDisk, ociInject}) {
            if (!Files.isReadable(file)) {
                throw new IOException("guest image " + dir + " is missing " + file.getFileName() + ": run ./amber setup");
            }
        }
        return new GuestImage(values.getProperty("key", "unknown"), kernel, initramfs, rootDisk,
                QemuImg.virtualSizeMb(rootDisk), ociInject, values.getProperty("kernel", "unknown"));
    }
}
