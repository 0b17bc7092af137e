package dev.amber.host.vm;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where guest RAM lives. {@code shared}: the VM owns {@code file} and writes into it (a booted
 * sandbox), so saving the machine need not copy its RAM. Not shared: the file is a snapshot's
 * memory, mapped privately: pages load lazily, stay shared with every other clone through the
 * page cache, and are copied only when the guest writes them. No file: plain anonymous memory,
 * for a machine whose RAM came back in a saved stream (filling a shared file page by page costs
 * the filesystem an allocation per page, several times slower).
 */
public record MemoryBacking(Path file, boolean shared) {

    public MemoryBacking {
        if (shared) {
            requireNonNull(file, "file");
        }
    }

    public static MemoryBacking anonymous() {
        return new MemoryBacking(null, false);
    }

    public static MemoryBacking owned(Path file) {
        return new MemoryBacking(file, true);
    }

    public static MemoryBacking privateCopyOf(Path snapshotMemory) {
        return new MemoryBacking(snapshotMemory, false);
    }
}
