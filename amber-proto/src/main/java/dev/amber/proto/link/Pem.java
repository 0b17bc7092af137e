package dev.amber.proto.link;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Certificates and unencrypted PKCS#8 private keys in PEM files (as openssl and certbot write them),
 * with nothing but java.security: the API's HTTPS certificate and the link's identities both use it.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    /** Every certificate in {@code file}, in order (a chain: the leaf first). */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<byte[]> blocks = blocks(file, "CERTIFICATE");
        if (blocks.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] block : blocks) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block)));
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
    }

    /** The one key in {@code file}, of {@code algorithm} (the certificate's: "EC", "RSA", ...). */
    public static PrivateKey privateKey(Path file, String algorithm) throws IOException {
        List<byte[]> blocks = blocks(file, "PRIVATE KEY");
        if (blocks.size() != 1) {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            String hint = text.contains("RSA PRIVATE KEY") || text.contains("EC PRIVATE KEY") || text.contains("ENCRYPTED")
                    ? "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem" : "";
            throw new IOException(file + " must hold one unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)" + hint);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(blocks.getFirst()));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a " + algorithm + " key, as the certificate's is: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a key that is not {@code certificate}'s: it would fail every handshake, so it is better
     * found when the files are read. {@code keyFile} and {@code certificateFile} name them in the error.
     */
    public static void requireMatch(PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile)
            throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign with their own name
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new IOException("the key in " + keyFile + " is not the key of the first certificate in " + certificateFile);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("could not check the key in " + keyFile + " against " + certificateFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** PEM text of {@code certificates}, one block each. */
    public static String encode(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                text.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("a certificate that cannot be encoded: " + e.getMessage(), e);
            }
        }
        return text.toString();
    }

    /** PEM text of {@code key} (PKCS#8, unencrypted). */
    public static String encode(PrivateKey key) {
        return block("PRIVATE KEY", requireNonNull(key, "key").getEncoded());
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file in the same directory, readable by
     * its owner only when {@code secret}: a crash leaves either the old file or the new one.
     */
    public static void write(Path file, String text, boolean secret) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + " does not exist or cannot be read");
        }
        Matcher blocks = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        List<byte[]> found = new ArrayList<>();
        while (blocks.find()) {
            if (blocks.group(1).equals(type)) {
                found.add(Base64.getMimeDecoder().decode(blocks.group(2)));
            }
        }
        return found;
    }
}
