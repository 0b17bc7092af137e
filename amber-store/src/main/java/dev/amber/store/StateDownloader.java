package dev.amber.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;

import static java.util.Objects.requireNonNull;

/**
 * Rebuilds files of a saved state from the store: chunks fetched {@code parallelism} at once, each
 * checked against its name before it is written at its offset; zero chunks stay holes. A file is
 * written beside its place and moved there only once complete, so a missing or corrupt chunk
 * leaves nothing that looks restored.
 */
public final class StateDownloader {

    private final Chunks chunks;
    private final Semaphore inFlight;

    public StateDownloader(Chunks chunks, StoreSettings settings) {
        this.chunks = requireNonNull(chunks, "chunks");
        this.inFlight = new Semaphore(settings.parallelism() * 2);
    }

    /** Writes {@code recipe}'s file at {@code target}; {@code whose} names the saved state in errors. */
    public void fetch(FileRecipe recipe, Path target, String whose) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            try (BoundedTasks fetches = new BoundedTasks(inFlight, "fetching " + whose)) {
                for (int i = 0; i < recipe.chunks().size(); i++) {
                    String hash = recipe.chunks().get(i);
                    if (FileRecipe.ZERO.equals(hash)) {
                        continue;
                    }
                    long offset = (long) i * recipe.chunkSize();
                    int length = recipe.lengthOf(i);
                    fetches.submit(() -> {
                        byte[] bytes = chunks.get(hash, whose + " (file " + recipe.name() + ")");
                        if (bytes.length != length) {
                            throw new StoreDamagedException(whose + ": chunk " + hash + " of " + recipe.name()
                                    + " is " + bytes.length + " bytes, its manifest says " + length);
                        }
                        write(channel, bytes, offset);
                    });
                }
                fetches.awaitAll();
            }
            channel.truncate(recipe.bytes());
            if (channel.size() < recipe.bytes()) { // a trailing hole: extend without writing
                channel.write(ByteBuffer.allocate(1), recipe.bytes() - 1);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(FileChannel channel, byte[] bytes, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = offset;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }
}
