package dev.amber.store;

import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * How to rebuild one file from chunks: its name inside the saved state's directory, its length and
 * SHA-256, and the SHA-256 of each {@code chunkSize} piece in order ({@link #ZERO} for a piece that
 * is all zero bytes: never stored, left a hole when rebuilt).
 */
public record FileRecipe(String name, long bytes, String sha256, int chunkSize, List<String> chunks) {

    public static final String ZERO = "0";
    /** Names are relative paths of plain segments: a recipe can never write outside its directory. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}(/[A-Za-z0-9_][A-Za-z0-9._-]{0,99}){0,3}");

    public FileRecipe {
        requireNonNull(name, "name");
        requireNonNull(sha256, "sha256");
        chunks = List.copyOf(requireNonNull(chunks, "chunks"));
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid file name in a stored manifest: " + name);
        }
        if (chunkSize <= 0 || bytes < 0 || chunks.size() != expectedChunks(bytes, chunkSize)) {
            throw new IllegalArgumentException("inconsistent recipe for " + name + ": " + bytes + " bytes in "
                    + chunks.size() + " chunks of " + chunkSize);
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    private static long expectedChunks(long bytes, int chunkSize) {
        return (bytes + chunkSize - 1) / chunkSize;
    }

    /** This recipe under another name (the same bytes, placed elsewhere in the directory). */
    public FileRecipe named(String newName) {
        return new FileRecipe(newName, bytes, sha256, chunkSize, chunks);
    }

    /** Bytes that are stored, not holes: the sum of the non-zero chunks' lengths. */
    public long storedBytes() {
        long stored = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (!ZERO.equals(chunks.get(i))) {
                stored += lengthOf(i);
            }
        }
        return stored;
    }

    /** The length of chunk {@code index}: {@code chunkSize}, or less for the last. */
    public int lengthOf(int index) {
        return (int) Math.min(chunkSize, bytes - (long) index * chunkSize);
    }
}
