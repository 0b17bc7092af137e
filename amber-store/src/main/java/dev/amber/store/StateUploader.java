package dev.amber.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Stores a saved state: each file is read once, cut into chunks, and every chunk that is not all
 * zeros and not already in the store is sent, at most {@code parallelism} at once and within the
 * bandwidth bound; the manifest goes last, so a manifest in the store always names chunks that are
 * there. Files that do not change (disk layers, template images) are cut once per process: their
 * recipe is kept by size, modification time and inode.
 */
public final class StateUploader {

    /** 1 MiB: small enough that two snapshots of one template share most chunks, large enough for few requests. */
    public static final int CHUNK_SIZE = 1 << 20;

    private final Chunks chunks;
    private final Manifests manifests;
    private final Semaphore inFlight;
    private final Throttle throttle;
    private final Map<Path, CachedRecipe> recipes = new ConcurrentHashMap<>();

    public StateUploader(Chunks chunks, Manifests manifests, StoreSettings settings) {
        this.chunks = requireNonNull(chunks, "chunks");
        this.manifests = requireNonNull(manifests, "manifests");
        this.inFlight = new Semaphore(settings.parallelism());
        this.throttle = new Throttle(settings.bytesPerSecond());
    }

    /** Stores {@code files} as saved state {@code id} of {@code kind}, replacing an earlier manifest of it. */
    public UploadReport upload(StateKind kind, String id, List<LocalFile> files, Map<String, String> labels)
            throws IOException {
        long started = System.nanoTime();
        Tally tally = new Tally();
        List<FileRecipe> recipes = new ArrayList<>();
        try (BoundedTasks sends = new BoundedTasks(inFlight, "storing " + kind + " " + id)) {
            for (LocalFile file : files) {
                recipes.add(store(file, sends, tally));
            }
            sends.awaitAll();
        }
        manifests.put(new StoredManifest(StoredManifest.FORMAT, kind, id, recipes, labels, Instant.now().toString()));
        long bytes = recipes.stream().mapToLong(FileRecipe::bytes).sum();
        long stored = recipes.stream().mapToLong(FileRecipe::storedBytes).sum();
        return new UploadReport(bytes, stored, tally.uploadedBytes.get(), tally.chunks.get(), tally.newChunks.get(),
                tally.zeroChunks.get(), Duration.ofNanos(System.nanoTime() - started));
    }

    private FileRecipe store(LocalFile file, BoundedTasks sends, Tally tally)
            throws IOException {
        Stamp stamp = Stamp.of(file.path());
        CachedRecipe cached = recipes.get(file.path());
        if (cached != null && cached.stamp().equals(stamp) && allPresent(cached.recipe())) {
            for (String chunk : cached.recipe().chunks()) {
                tally.chunks.incrementAndGet();
                if (FileRecipe.ZERO.equals(chunk)) {
                    tally.zeroChunks.incrementAndGet();
                }
            }
            return cached.recipe().named(file.name());
        }
        MessageDigest whole = Chunks.newDigest();
        List<String> hashes = new ArrayList<>();
        long bytes = 0;
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            while (true) {
                byte[] chunk = readChunk(channel);
                if (chunk == null) {
                    break;
                }
                bytes += chunk.length;
                whole.update(chunk);
                tally.chunks.incrementAndGet();
                if (isZero(chunk)) {
                    hashes.add(FileRecipe.ZERO);
                    tally.zeroChunks.incrementAndGet();
                    continue;
                }
                String hash = Chunks.sha256(chunk, 0, chunk.length);
                hashes.add(hash);
                sends.submit(() -> {
                    if (!chunks.present(hash)) {
                        throttle.acquire(chunk.length);
                        chunks.put(hash, chunk);
                        tally.newChunks.incrementAndGet();
                        tally.uploadedBytes.addAndGet(chunk.length);
                    }
                });
            }
        }
        FileRecipe recipe = new FileRecipe(file.name(), bytes, HexFormat.of().formatHex(whole.digest()), CHUNK_SIZE,
                hashes);
        if (Stamp.of(file.path()).equals(stamp)) {
            recipes.put(file.path(), new CachedRecipe(stamp, recipe));
        } else {
            throw new IOException(file.path() + " changed while it was being stored");
        }
        return recipe;
    }

    /** Whether the store still has every chunk of a recipe cut earlier (else the file is read and sent again). */
    private boolean allPresent(FileRecipe recipe) throws StoreException {
        for (String chunk : recipe.chunks()) {
            if (!FileRecipe.ZERO.equals(chunk) && !chunks.present(chunk)) {
                return false;
            }
        }
        return true;
    }

    /** The next chunk of the file (shorter at its end), or null past the end. */
    private static byte[] readChunk(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_SIZE);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        if (buffer.position() == 0) {
            return null;
        }
        byte[] chunk = buffer.array();
        return buffer.position() == CHUNK_SIZE ? chunk : Arrays.copyOf(chunk, buffer.position());
    }

    private static boolean isZero(byte[] chunk) {
        for (byte b : chunk) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static final class Tally {
        final AtomicInteger chunks = new AtomicInteger();
        final AtomicInteger newChunks = new AtomicInteger();
        final AtomicInteger zeroChunks = new AtomicInteger();
        final AtomicLong uploadedBytes = new AtomicLong();
    }

    private record CachedRecipe(Stamp stamp, FileRecipe recipe) {}

    /** What tells a changed file from an unchanged one without reading it. */
    private record Stamp(long bytes, Instant modified, Object fileKey) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.size(), attributes.lastModifiedTime().toInstant(), attributes.fileKey());
        }
    }
}
