package dev.amber.cli.up;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The secret the control plane and its hosts present to each other, kept in a 0600 file. */
final class ClusterToken {

    private ClusterToken() {}

    static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "cluster", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }
}
