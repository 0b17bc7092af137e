package dev.amber.host.join;

import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.Pem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A host's identity in its cluster, as its join left it in one directory ({@code $AMBER_DATA/host-identity/}):
 * {@code key.pem} (0600), {@code cert.pem} (CN {@code host-<uuid>}, the host's id) and {@code ca.pem}
 * (the cluster CA, the only issuer it trusts). A host restarted on the same directory registers
 * again under the same id, without a token.
 */
public record HostIdentity(LinkCredentials credentials) {

    private static final String KEY = "key.pem";
    private static final String CERTIFICATE = "cert.pem";
    private static final String CA = "ca.pem";

    public HostIdentity {
        requireNonNull(credentials, "credentials");
    }

    /** {@code host-<uuid>}. */
    public String hostId() {
        return credentials.name();
    }

    /** Whether this host has joined a cluster with {@code directory} as its identity directory. */
    public static boolean exists(Path directory) {
        return Files.isDirectory(directory);
    }

    public static HostIdentity load(Path directory) throws IOException {
        Path certificateFile = directory.resolve(CERTIFICATE);
        Path keyFile = directory.resolve(KEY);
        X509Certificate certificate = Pem.certificates(certificateFile).getFirst();
        X509Certificate ca = Pem.certificates(directory.resolve(CA)).getFirst();
        PrivateKey key = Pem.privateKey(keyFile, certificate.getPublicKey().getAlgorithm());
        Pem.requireMatch(key, certificate, keyFile, certificateFile);
        return new HostIdentity(new LinkCredentials(key, List.of(certificate, ca), ca));
    }

    /**
     * Writes the identity into {@code directory}, which must not exist yet: the files are written
     * into a sibling first and that is renamed, so a crash leaves no half identity behind.
     */
    static HostIdentity save(Path directory, PrivateKey key, X509Certificate certificate, X509Certificate ca) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Path staging = absolute.resolveSibling(absolute.getFileName() + ".new");
        if (Files.isDirectory(staging)) {
            try (var stale = Files.list(staging)) {
                for (Path file : stale.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(staging);
        }
        Files.createDirectories(absolute.getParent());
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Pem.write(staging.resolve(KEY), Pem.encode(key), true);
        Pem.write(staging.resolve(CERTIFICATE), Pem.encode(List.of(certificate)), false);
        Pem.write(staging.resolve(CA), Pem.encode(List.of(ca)), false);
        Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
        return load(absolute);
    }
}
