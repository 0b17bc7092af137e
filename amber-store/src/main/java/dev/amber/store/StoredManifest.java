package dev.amber.store;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What one saved state is in the store: the files it is made of (each a {@link FileRecipe}) and
 * labels its maker attaches (the host that made it, the machine platform it needs). Written after
 * every chunk it names is stored, so a manifest that exists is complete.
 */
public record StoredManifest(int format, StateKind kind, String id, List<FileRecipe> files, Map<String, String> labels,
                             String createdAt) {

    public static final int FORMAT = 1;

    public StoredManifest {
        requireNonNull(kind, "kind");
        requireNonNull(id, "id");
        files = List.copyOf(requireNonNull(files, "files"));
        labels = Map.copyOf(requireNonNull(labels, "labels"));
    }

    /** Every stored chunk the files need, each once. */
    public Set<String> chunks() {
        Set<String> chunks = new LinkedHashSet<>();
        for (FileRecipe file : files) {
            for (String chunk : file.chunks()) {
                if (!FileRecipe.ZERO.equals(chunk)) {
                    chunks.add(chunk);
                }
            }
        }
        return chunks;
    }

    public long bytes() {
        return files.stream().mapToLong(FileRecipe::bytes).sum();
    }
}
