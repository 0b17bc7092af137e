package dev.amber.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The chunks in the bucket, each named by the SHA-256 of its bytes ({@code chunks/ab/abcd…}), so
 * identical bytes, from any snapshot of any team, are stored once. Remembers which chunks it saw
 * in the store, and trusts that memory only while the collector cannot have removed them: it
 * deletes no chunk younger than {@code grace} (see {@link ChunkCollector}).
 */
public final class Chunks {

    static final String FOLDER = "chunks/";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final ObjectStore store;
    private final Duration grace;
    private final Clock clock;
    /** Chunk → when it was last written to the store, for chunks seen there. */
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    public Chunks(ObjectStore store, Duration grace, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.grace = requireNonNull(grace, "grace");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The object key of chunk {@code hash}. */
    public static String key(String hash) {
        return FOLDER + hash.substring(0, 2) + "/" + hash;
    }

    /** The chunk a key names, or empty for keys that are not chunks. */
    static Optional<String> hashOf(String key) {
        int slash = key.lastIndexOf('/');
        String hash = key.substring(slash + 1);
        return key.startsWith(FOLDER) && HASH.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
    }

    /** Whether the store holds the chunk (and will until a collector pass after {@code grace}). */
    boolean present(String hash) throws StoreException {
        if (trusted(seen.get(hash))) {
            return true;
        }
        Optional<Instant> written = store.lastModified(key(hash));
        written.ifPresent(at -> seen.put(hash, at));
        return written.isPresent();
    }

    private boolean trusted(Instant written) {
        return written != null && clock.instant().isBefore(written.plus(grace));
    }

    void put(String hash, byte[] bytes) throws StoreException {
        store.put(key(hash), bytes);
        seen.put(hash, clock.instant());
    }

    /** The chunk's bytes, checked against its name. */
    byte[] get(String hash, String whose) throws StoreException {
        byte[] bytes = store.get(key(hash)).orElseThrow(() -> new StoreDamagedException(
                whose + ": chunk " + hash + " is missing from the store"));
        String actual = sha256(bytes, 0, bytes.length);
        if (!actual.equals(hash)) {
            throw new StoreDamagedException(whose + ": chunk " + hash + " is corrupt in the store (its bytes hash to "
                    + actual + ")");
        }
        return bytes;
    }

    static String sha256(byte[] bytes, int offset, int length) {
        MessageDigest digest = newDigest();
        digest.update(bytes, offset, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
