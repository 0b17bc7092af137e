package dev.amber.server.http;

import dev.amber.proto.link.Pem;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate chain and its private key, read from PEM files into an in-memory key store for Jetty. */
final class PemKeyStore {

    static final String ALIAS = "amber";

    private PemKeyStore() {}

    /** {@code password} protects the key inside the store only: the store never leaves memory. */
    static KeyStore load(Transport.Tls files, char[] password) throws IOException {
        List<X509Certificate> chain = Pem.certificates(files.certificateChain());
        PrivateKey key = Pem.privateKey(files.privateKey(), chain.getFirst().getPublicKey().getAlgorithm());
        Pem.requireMatch(key, chain.getFirst(), files.privateKey(), files.certificateChain());
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
}
