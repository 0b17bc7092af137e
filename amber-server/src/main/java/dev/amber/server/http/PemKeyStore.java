package dev.amber.server.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key, read from PEM files (as certbot and openssl write them)
 * into an in-memory key store for Jetty, with nothing but java.security.
 */
final class PemKeyStore {

    static final String ALIAS = "amber";
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private PemKeyStore() {}

    /** {@code password} protects the key inside the store only: the store never leaves memory. */
    static KeyStore load(Transport.Tls files, char[] password) throws IOException {
        List<Certificate> chain = certificates(files.certificateChain());
        PrivateKey key = privateKey(files.privateKey(), chain.getFirst().getPublicKey().getAlgorithm());
        requireMatch(key, (X509Certificate) chain.getFirst(), files);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("could not build a key store from " + files.certificateChain() + " and "
                    + files.privateKey() + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException {
        List<byte[]> blocks = blocks(file, "CERTIFICATE");
        if (blocks.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<Certificate> chain = new ArrayList<>();
            for (byte[] block : blocks) {
                chain.add(factory.generateCertificate(new ByteArrayInputStream(block)));
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws IOException {
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

    /** A key that is not the certificate's would fail every handshake; better to refuse to start. */
    private static void requireMatch(PrivateKey key, X509Certificate certificate, Transport.Tls files) throws IOException {
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
                throw new IOException("the key in " + files.privateKey() + " is not the key of the first certificate in "
                        + files.certificateChain());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("could not check the key in " + files.privateKey() + " against "
                    + files.certificateChain() + ": " + e.getMessage(), e);
        }
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
