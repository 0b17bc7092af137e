package dev.amber.host;

import dev.amber.proto.link.LinkCredentials;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster CA for tests of the link without a control plane (the server's own authority lives in
 * amber-server, which depends on this module): it issues the credentials of the server replicas
 * ({@code amber-server}) and of hosts ({@code host-<uuid>}), all chained to one CA.
 */
public final class TestAuthority {

    private static final AtomicLong SERIALS = new AtomicLong(1);

    private final PrivateKey key;
    private final X509Certificate ca;

    public TestAuthority() {
        KeyPair pair = LinkCredentials.newKeyPair();
        X500Name name = new X500Name("CN=Amber test CA");
        this.key = pair.getPrivate();
        this.ca = sign(new JcaX509v3CertificateBuilder(name, serial(), from(), until(), name, pair.getPublic()), true);
    }

    /** A key and a certificate naming {@code name}, issued by this CA. */
    public LinkCredentials credentials(String name) {
        KeyPair pair = LinkCredentials.newKeyPair();
        return new LinkCredentials(pair.getPrivate(), List.of(issue(name, pair.getPublic()), ca), ca);
    }

    /** A certificate naming {@code name} for {@code subjectKey}, as a server issues a joining host's. */
    public X509Certificate issue(String name, PublicKey subjectKey) {
        return sign(new JcaX509v3CertificateBuilder(ca, serial(), from(), until(), new X500Name("CN=" + name), subjectKey),
                false);
    }

    public X509Certificate certificate() {
        return ca;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, boolean authority) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.getAndIncrement());
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofMinutes(5)));
    }

    private static Date until() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
