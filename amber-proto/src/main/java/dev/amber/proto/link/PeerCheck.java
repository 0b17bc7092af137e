package dev.amber.proto.link;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Who one end of the link accepts at the other: a certificate chain that leads to the cluster CA
 * and a certificate name (CN) the caller expects. Addresses change and are not checked; the CN is
 * the identity. Used for both directions (see {@link #trustManager()}).
 */
public final class PeerCheck {

    /** The CN of the control plane's link certificate. */
    public static final String SERVER = "amber-server";
    private static final Pattern HOST = Pattern.compile("host-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Finds the CA among the presented chain (a pin) or knows it already; throws when none fits. */
    private interface Anchor {
        X509Certificate find(X509Certificate[] chain) throws CertificateException;
    }

    private final Anchor anchor;
    private final Predicate<String> names;
    private final String expected;

    private PeerCheck(Anchor anchor, Predicate<String> names, String expected) {
        this.anchor = anchor;
        this.names = names;
        this.expected = expected;
    }

    /** A peer chained to {@code ca} named exactly {@code name}. */
    public static PeerCheck named(X509Certificate ca, String name) {
        requireNonNull(ca, "ca");
        requireNonNull(name, "name");
        return new PeerCheck(chain -> ca, name::equals, name);
    }

    /** Any host ({@code host-<uuid>}) chained to {@code ca}. */
    public static PeerCheck anyHost(X509Certificate ca) {
        requireNonNull(ca, "ca");
        return new PeerCheck(chain -> ca, name -> HOST.matcher(name).matches(), "host-<uuid>");
    }

    /**
     * A peer named {@code name} chained to a CA known only by the SHA-256 of its DER encoding
     * ({@code fingerprint}, hex): a joining host knows no more than that, from its join token. The
     * peer must send the CA in its chain.
     */
    public static PeerCheck pinned(String fingerprint, String name) {
        byte[] pin = HexFormat.of().parseHex(requireNonNull(fingerprint, "fingerprint"));
        requireNonNull(name, "name");
        return new PeerCheck(chain -> Arrays.stream(chain).filter(certificate -> MessageDigest.isEqual(pin, sha256(certificate)))
                .findFirst()
                .orElseThrow(() -> new PeerRefusedException("the peer's certificate chain has no CA with fingerprint "
                        + fingerprint + ": this is not the cluster the token was made for (or the server's CA changed)")),
                name::equals, name);
    }

    /** Checks {@code chain} (leaf first): throws {@link PeerRefusedException} when this check does not accept it. */
    void check(X509Certificate[] chain, String authType, boolean client) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new PeerRefusedException("the peer sent no certificate");
        }
        X509Certificate ca = anchor.find(chain);
        try {
            X509TrustManager pkix = pkix(ca);
            if (client) {
                pkix.checkClientTrusted(chain, authType);
            } else {
                pkix.checkServerTrusted(chain, authType);
            }
        } catch (CertificateException e) {
            throw new PeerRefusedException("the peer's certificate (" + chain[0].getSubjectX500Principal().getName()
                    + ") is not issued by this cluster's CA: " + e.getMessage(), e);
        }
        String name = commonName(chain[0]);
        if (!names.test(name)) {
            throw new PeerRefusedException("the peer's certificate names " + name + ", expected " + expected);
        }
    }

    /** A trust manager that accepts exactly the peers this check does, in either direction. */
    PeerTrustManager trustManager() {
        return new PeerTrustManager(this);
    }

    /** The CN of {@code certificate}'s subject, or "" when it has none. */
    public static String commonName(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue).map(String::valueOf).findFirst().orElse("");
        } catch (InvalidNameException e) {
            return "";
        }
    }

    /** The host id a host certificate names, when it is one. */
    public static Optional<String> hostName(String commonName) {
        return HOST.matcher(commonName).matches() ? Optional.of(commonName) : Optional.empty();
    }

    /** Hex SHA-256 of {@code certificate}'s DER encoding: what a join token pins. */
    public static String fingerprint(X509Certificate certificate) {
        return HexFormat.of().formatHex(sha256(certificate));
    }

    private static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("a certificate that cannot be encoded: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static X509TrustManager pkix(X509Certificate ca) throws CertificateException {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertificateException("cannot trust the cluster CA " + ca.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
    }
}
