package dev.amber.server.cluster;

import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.Pem;
import dev.amber.proto.link.PeerCheck;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The cluster's certificate authority: made once in its directory ({@code ca.pem}, {@code ca.key}
 * 0600), it issues every certificate of the link, the control plane's ({@link PeerCheck#SERVER}) and
 * one per host ({@code host-<uuid>}, the host's id).
 */
public final class ClusterAuthority {

    private static final String CA_FILE = "ca.pem";
    private static final String KEY_FILE = "ca.key";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** A host re-joins (with a new token) after a year; the server's certificate is new at each start. */
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** Tolerates clocks of the cluster's machines that are a little apart. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final X509Certificate ca;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();

    private ClusterAuthority(X509Certificate ca, PrivateKey key) {
        this.ca = ca;
        this.key = key;
    }

    /** Whether {@code directory} holds a CA (or a part of one, which loading then refuses). */
    static boolean existsIn(Path directory) {
        return Files.exists(directory.resolve(CA_FILE)) || Files.exists(directory.resolve(KEY_FILE));
    }

    /** The CA in {@code directory}, made there first if it holds none. */
    public static ClusterAuthority loadOrCreate(Path directory) throws IOException {
        requireNonNull(directory, "directory");
        Path caFile = directory.resolve(CA_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        if (existsIn(directory)) {
            X509Certificate ca = Pem.certificates(caFile).getFirst();
            PrivateKey key = Pem.privateKey(keyFile, ca.getPublicKey().getAlgorithm());
            Pem.requireMatch(key, ca, keyFile, caFile);
            return new ClusterAuthority(ca, key);
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        KeyPair pair = LinkCredentials.newKeyPair();
        X500Name name = new X500Name("CN=Amber cluster CA " + UUID.randomUUID());
        X509Certificate ca = sign(pair.getPrivate(), new JcaX509v3CertificateBuilder(name, serial(new SecureRandom()),
                Date.from(Instant.now().minus(BACKDATE)), Date.from(Instant.now().plus(CA_VALIDITY)), name, pair.getPublic()),
                new BasicConstraints(0), new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), null);
        // The key first: a CA certificate without its key would be loaded and fail at the first issue.
        Pem.write(keyFile, Pem.encode(pair.getPrivate()), true);
        Pem.write(caFile, Pem.encode(List.of(ca)), false);
        return new ClusterAuthority(ca, pair.getPrivate());
    }

    public X509Certificate certificate() {
        return ca;
    }

    /** What a join token carries so that a joining host can tell this cluster's server from another. */
    public String fingerprint() {
        return PeerCheck.fingerprint(ca);
    }

    /** The control plane's identity on the link: a fresh key and certificate, made at each start. */
    public LinkCredentials serverCredentials() {
        return credentials(PeerCheck.SERVER);
    }

    /** A host's identity made here, key and all: for the host `amber up` runs in the same process. */
    public LinkCredentials hostCredentials(String hostId) {
        return credentials(requireNonNull(hostId, "hostId"));
    }

    /**
     * The key a PKCS#10 request ({@code csr}, DER) asks a certificate for, once its signature shows
     * the requester holds that key. Its subject is ignored: a host's certificate names the host's id.
     *
     * @throws IllegalArgumentException the request cannot be read or its signature does not hold
     */
    public PublicKey requestedKey(byte[] csr) {
        PublicKey publicKey;
        boolean signed;
        try {
            JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(requireNonNull(csr, "csr"));
            signed = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()));
            publicKey = request.getPublicKey();
        } catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            // BouncyCastle meets some malformed DER with runtime exceptions: all of it is a bad request
            throw new IllegalArgumentException("not a PKCS#10 certificate request (DER): " + e.getMessage(), e);
        }
        if (!signed) {
            throw new IllegalArgumentException("the certificate request's signature does not match its key");
        }
        return publicKey;
    }

    /** The certificate of host {@code hostId} ({@code host-<uuid>}) for {@code hostKey}. */
    public X509Certificate issueHost(String hostId, PublicKey hostKey) {
        return issue(requireNonNull(hostId, "hostId"), requireNonNull(hostKey, "hostKey"));
    }

    private LinkCredentials credentials(String name) {
        KeyPair pair = LinkCredentials.newKeyPair();
        return new LinkCredentials(pair.getPrivate(), List.of(issue(name, pair.getPublic()), ca), ca);
    }

    private X509Certificate issue(String name, PublicKey subjectKey) {
        Instant now = Instant.now();
        return sign(key, new JcaX509v3CertificateBuilder(ca, serial(random), Date.from(now.minus(BACKDATE)),
                        Date.from(now.plus(LEAF_VALIDITY)), new X500Name("CN=" + name), subjectKey),
                new BasicConstraints(false), new KeyUsage(KeyUsage.digitalSignature),
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    }

    private static X509Certificate sign(PrivateKey signer, X509v3CertificateBuilder builder, BasicConstraints constraints,
                                        KeyUsage usage, ExtendedKeyUsage extendedUsage) {
        try {
            builder.addExtension(Extension.basicConstraints, true, constraints);
            builder.addExtension(Extension.keyUsage, true, usage);
            if (extendedUsage != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedUsage);
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random);
    }
}
