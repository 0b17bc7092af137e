package dev.amber.host.image;

import dev.amber.host.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns an OCI image archive on this host into a root disk an Amber guest boots: skopeo reads the
 * archive (OCI or docker format) into an OCI layout, umoci unpacks its layers into a root file
 * system, the agent's injection (runtime, agent, static busybox and tini, an init) goes on top, and
 * the tree becomes an ext4 file system in a sparse qcow2. The image must bring a glibc (Debian,
 * Ubuntu, Fedora...): the agent's Java runtime needs one; musl-based images (Alpine) cannot run it.
 */
public final class OciImport {

    /** {@code oci-archive:<absolute path>} or {@code docker-archive:<absolute path>}, optionally {@code :<reference>}. */
    private static final Pattern URI = Pattern.compile("(oci-archive|docker-archive):(/[^:\\x00]+)(:[A-Za-z0-9._/@:-]+)?");
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(20);

    private OciImport() {}

    /** Whether {@code uri} names an archive the importer reads; {@link #archivePath} gives its file. */
    public static boolean isSupported(String uri) {
        return uri != null && URI.matcher(uri).matches();
    }

    /** The archive file {@code uri} names. */
    public static Path archivePath(String uri) {
        var matcher = URI.matcher(uri);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("image uri must be oci-archive:/path or docker-archive:/path, got " + uri);
        }
        return Path.of(matcher.group(2)).normalize();
    }

    /** Builds {@code disk} (qcow2, {@code diskSizeMb}) from the archive, working in {@code work} (which it empties). */
    public static void toDisk(String uri, Path inject, Path work, Path disk, long diskSizeMb) throws IOException {
        Path archive = archivePath(uri);
        if (!Files.isRegularFile(archive)) {
            throw new ImageImportException("no image archive at " + archive + " on this host");
        }
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        Path rootfs = bundle.resolve("rootfs");
        Path ext4 = work.resolve("rootfs.ext4");
        step(List.of("skopeo", "--insecure-policy", "copy", "--quiet", uri, "oci:" + layout + ":amber"), "read");
        step(List.of("umoci", "unpack", "--image", layout + ":amber", bundle.toString()), "unpack");
        step(List.of("tar", "--keep-directory-symlink", "-C", rootfs.toString(), "-xf", inject.toString()), "inject the agent into");
        step(List.of("mkfs.ext4", "-q", "-F", "-L", "amber-root", "-d", rootfs.toString(), ext4.toString(),
                diskSizeMb + "M"), "make a file system of");
        step(List.of("qemu-img", "convert", "-q", "-O", "qcow2", ext4.toString(), disk.toString()), "convert");
    }

    private static void step(List<String> command, String what) throws IOException {
        try {
            CommandRunner.run(command, STEP_TIMEOUT);
        } catch (IOException e) {
            throw new ImageImportException("could not " + what + " the image: " + e.getMessage());
        }
    }

    /** The archive is missing or not an image this host can import. */
    public static final class ImageImportException extends IOException {
        public ImageImportException(String message) {
            super(message);
        }
    }
}
