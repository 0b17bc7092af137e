package dev.amber.host.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file's length and SHA-256, as a snapshot manifest records them. */
public record FileDigest(long bytes, String sha256) {

    public static FileDigest of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        long bytes = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            int read;
            while ((read = channel.read(buffer)) >= 0) {
                bytes += read;
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return new FileDigest(bytes, HexFormat.of().formatHex(digest.digest()));
    }

    /** The SHA-256 of {@code bytes}, in hex. */
    static String sha256Of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
