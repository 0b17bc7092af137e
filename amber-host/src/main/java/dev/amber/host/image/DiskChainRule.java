package dev.amber.host.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Where the layers of a machine's disk may be, checked before every start and restore: QEMU opens
 * the backing chain itself, as root, by the names in the qcow2 headers, and a header can be
 * rewritten by whoever held the layer writable (a guest that broke out of its QEMU). Each layer,
 * symbolic links resolved, must be a regular qcow2 file inside the machine's own directory or one
 * of the {@code roots} (snapshots, guest and template images), and name its backing file by an
 * absolute path with the format recorded as qcow2: never a device, a raw file QEMU would probe,
 * a protocol or a file elsewhere on the host.
 */
public final class DiskChainRule {

    /** Far deeper than any chain Amber makes (layers are checkpoints and build steps). */
    static final int MAX_DEPTH = 256;

    private final List<Path> roots;

    public DiskChainRule(List<Path> roots) {
        this.roots = List.copyOf(requireNonNull(roots, "roots"));
    }

    /** Checks the chain under {@code top}, the disk of the machine in {@code machineDir}. */
    public void check(Path top, Path machineDir) throws UnsafeDiskException {
        requireNonNull(top, "top");
        requireNonNull(machineDir, "machineDir");
        List<Path> allowed = allowedRoots(machineDir);
        Set<Path> seen = new HashSet<>();
        Path layer = top;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Path real = requireInside(layer, allowed, top);
            if (!seen.add(real)) {
                throw new UnsafeDiskException("the disk chain of " + top + " loops at " + layer);
            }
            Optional<Qcow2Header.Backing> backing = readBacking(real, top);
            if (backing.isEmpty()) {
                return;
            }
            layer = backingPath(backing.get(), layer, top);
        }
        throw new UnsafeDiskException("the disk chain of " + top + " is deeper than " + MAX_DEPTH + " layers");
    }

    private List<Path> allowedRoots(Path machineDir) {
        return Stream.concat(Stream.of(machineDir), roots.stream())
                .filter(Files::exists)
                .map(DiskChainRule::realPath)
                .flatMap(Optional::stream)
                .toList();
    }

    private static Path requireInside(Path layer, List<Path> allowed, Path top) throws UnsafeDiskException {
        Path real = realPath(layer).orElseThrow(
                () -> new UnsafeDiskException("the disk chain of " + top + " names " + layer + ", which does not exist"));
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeDiskException("the disk chain of " + top + " names " + layer
                    + ", which is not a regular file (a device or a directory?)");
        }
        if (allowed.stream().noneMatch(root -> real.startsWith(root) && !real.equals(root))) {
            throw new UnsafeDiskException("the disk chain of " + top + " names " + layer
                    + (real.equals(layer) ? "" : " (really " + real + ")")
                    + ", outside the sandbox, snapshot and image directories");
        }
        return real;
    }

    private static Optional<Qcow2Header.Backing> readBacking(Path real, Path top) throws UnsafeDiskException {
        try {
            return Qcow2Header.backing(real);
        } catch (IOException e) {
            throw new UnsafeDiskException("the disk chain of " + top + " has a layer that is not a qcow2 image: "
                    + e.getMessage());
        }
    }

    private static Path backingPath(Qcow2Header.Backing backing, Path layer, Path top) throws UnsafeDiskException {
        if (!backing.name().startsWith("/")) {
            throw new UnsafeDiskException("the disk chain of " + top + ": " + layer + " names its backing file \""
                    + backing.name() + "\" by no absolute path (a relative name, or a protocol)");
        }
        if (!backing.format().equals(Optional.of("qcow2"))) {
            throw new UnsafeDiskException("the disk chain of " + top + ": " + layer + " gives its backing file "
                    + backing.name() + " the format " + backing.format().orElse("(none: QEMU would probe it)")
                    + ", not qcow2");
        }
        return Path.of(backing.name());
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
