package dev.amber.host.image;

import dev.amber.host.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** qemu-img: copy-on-write disks over read-only bases. */
public final class QemuImg {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private QemuImg() {}

    /** Creates a sparse qcow2 {@code overlay} of {@code sizeMb} whose unwritten blocks read from {@code base}. */
    public static void createOverlay(Path base, Path overlay, long sizeMb) throws IOException {
        CommandRunner.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                "-b", base.toAbsolutePath().toString(), overlay.toString(), sizeMb + "M"), TIMEOUT);
    }

    /**
     * Points {@code image} at another backing file holding the same bytes (a layer fetched to
     * another path): only the header changes, nothing is copied or compared.
     */
    public static void repoint(Path image, Path backing) throws IOException {
        CommandRunner.run(List.of("qemu-img", "rebase", "-q", "-u", "-f", "qcow2", "-F", "qcow2",
                "-b", backing.toAbsolutePath().toString(), image.toString()), TIMEOUT);
    }

    /**
     * Writes the whole chain under {@code top} (the layer and everything it sits on) as one
     * standalone qcow2 {@code target}: clusters nobody wrote stay unallocated, so it is sparse.
     */
    public static void flatten(Path top, Path target, Duration timeout) throws IOException {
        CommandRunner.run(List.of("qemu-img", "convert", "-q", "-U", "-O", "qcow2", top.toString(), target.toString()),
                timeout);
    }

    /** The virtual size of a qcow2 image, in MiB. */
    public static long virtualSizeMb(Path image) throws IOException {
        String json = CommandRunner.run(List.of("qemu-img", "info", "--output=json", "-U", image.toString()), TIMEOUT);
        var matcher = java.util.regex.Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new IOException("qemu-img info gave no virtual size for " + image);
        }
        return Long.parseLong(matcher.group(1)) / (1024 * 1024);
    }
}
