package dev.amber.host.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amber.host.fs.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one way saved machine state is described on disk: a JSON manifest with a {@code format}
 * version and a SHA-256 {@code checksum} of the rest, written last and atomically (so a reader
 * never sees half of one). Reading refuses a format newer than the reader knows, and a manifest
 * whose checksum does not match (altered, or written by hand). Format 1 predates checksums and is
 * still read.
 */
final class ManifestFiles {

    /** The format before checksums: read as it is, without one. */
    static final int UNCHECKED_FORMAT = 1;
    private static final String CHECKSUM = "checksum";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestFiles() {}

    static void write(Path file, Object manifest) throws IOException {
        ObjectNode tree = JSON.valueToTree(manifest);
        tree.put(CHECKSUM, checksum(tree));
        JsonFiles.writeAtomically(file, tree);
    }

    /**
     * The manifest in {@code file}, of a format from {@link #UNCHECKED_FORMAT} to {@code newest}
     * (the type reads every one of them: fields later formats added are null in earlier ones);
     * {@code what} names it in errors ("snapshot snap-1"). A missing file stays a
     * {@link NoSuchFileException}, for the caller to say what that means.
     */
    static <T> T read(Path file, Class<T> type, int newest, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new SnapshotDamagedException(what + " has an unreadable manifest: " + e.getMessage());
        }
        if (!(parsed instanceof ObjectNode tree)) {
            throw new SnapshotDamagedException(what + " has an unreadable manifest: not a JSON object");
        }
        int found = tree.path("format").asInt(-1);
        if (found < UNCHECKED_FORMAT || found > newest) {
            throw new SnapshotDamagedException(what + " has format " + found + "; this host reads formats "
                    + UNCHECKED_FORMAT + " to " + newest);
        }
        JsonNode recorded = tree.remove(CHECKSUM);
        if (found != UNCHECKED_FORMAT && (recorded == null || !recorded.asText().equals(checksum(tree)))) {
            throw new SnapshotDamagedException(what + " has a manifest that fails its checksum: it was altered");
        }
        try {
            return JSON.treeToValue(tree, type);
        } catch (IOException e) {
            throw new SnapshotDamagedException(what + " has an unreadable manifest: " + e.getMessage());
        }
    }

    private static String checksum(ObjectNode tree) throws IOException {
        return FileDigest.sha256Of(JSON.writeValueAsBytes(tree));
    }
}
