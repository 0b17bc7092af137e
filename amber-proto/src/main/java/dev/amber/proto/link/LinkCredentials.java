package dev.amber.proto.link;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one end of the link proves itself with and trusts: its private key, its certificate chain
 * (its own certificate first, issued by the cluster CA) and the cluster CA every peer must chain to.
 */
public record LinkCredentials(PrivateKey key, List<X509Certificate> chain, X509Certificate ca) {

    public LinkCredentials {
        requireNonNull(key, "key");
        requireNonNull(ca, "ca");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the end's own certificate");
        }
    }

    /** A fresh key pair of the kind every link certificate certifies (ECDSA on P-256). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime makes P-256 keys", e);
        }
    }

    /** The name (certificate CN) this end presents: {@code amber-server} or {@code host-<uuid>}. */
    public String name() {
        return PeerCheck.commonName(chain.getFirst());
    }

    /** Trusts a peer chained to this cluster's CA whose certificate names exactly {@code name}. */
    public PeerCheck peer(String name) {
        return PeerCheck.named(ca, name);
    }

    /** Trusts any host of this cluster (a {@code host-<uuid>} certificate chained to its CA). */
    public PeerCheck anyHost() {
        return PeerCheck.anyHost(ca);
    }
}
