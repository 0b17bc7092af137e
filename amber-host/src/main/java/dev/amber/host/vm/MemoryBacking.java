package dev.amber.host.vm;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where guest RAM lives: always a file, so that saving a machine need not copy its RAM.
 * {@code shared}: the VM owns the file and writes into it (a booted or resumed sandbox); otherwise
 * the file is a snapshot's memory, mapped privately: pages load lazily, stay shared with every
 * other clone through the page cache, and are copied only when the guest writes them.
 */
public record MemoryBacking(Path file, boolean shared) {

    public MemoryBacking {
        requireNonNull(file, "file");
    }

    public static MemoryBacking owned(Path file) {
        return new MemoryBacking(file, true);
    }

    public static MemoryBacking privateCopyOf(Path snapshotMemory) {
        return new MemoryBacking(snapshotMemory, false);
    }
}
