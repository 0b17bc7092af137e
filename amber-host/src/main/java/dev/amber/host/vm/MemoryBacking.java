package dev.amber.host.vm;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** Where guest RAM lives while a machine runs. */
public sealed interface MemoryBacking {

    /**
     * The VM owns {@code file} and writes into it, mapped shared (a booted or resumed sandbox):
     * saving the machine need not copy its RAM.
     */
    record OwnedFile(Path file) implements MemoryBacking {
        public OwnedFile {
            requireNonNull(file, "file");
        }
    }

    /**
     * A snapshot's memory, mapped privately: pages load lazily, stay shared with every other clone
     * through the page cache, and are copied only when the guest writes them.
     */
    record PrivateCopy(Path snapshotMemory) implements MemoryBacking {
        public PrivateCopy {
            requireNonNull(snapshotMemory, "snapshotMemory");
        }
    }

    /**
     * Plain anonymous memory, for a machine whose RAM came back in a saved stream (filling a shared
     * file page by page costs the filesystem an allocation per page, several times slower).
     */
    record Anonymous() implements MemoryBacking {}
}
