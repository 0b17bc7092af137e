package dev.amber.server.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * A random secret kept in a file only its owner can read (0600), generated the first time it is
 * asked for and read back ever after.
 */
public final class SecretFile {

    private static final int BYTES = 32;

    private final Path file;

    public SecretFile(Path file) {
        this.file = requireNonNull(file, "file").toAbsolutePath();
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The secret, generated (256 random bits, hex) and written atomically if the file does not exist yet. */
    public String loadOrCreate() throws IOException {
        if (exists()) {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IOException(file + " is empty; delete it to have a new secret generated");
            }
            return secret;
        }
        byte[] random = new byte[BYTES];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        Files.createDirectories(file.getParent());
        // written under another name first: a crash mid-write must not leave a truncated secret behind
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, secret + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }
}
