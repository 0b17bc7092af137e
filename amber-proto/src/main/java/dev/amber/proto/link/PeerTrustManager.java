package dev.amber.proto.link;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import static java.util.Objects.requireNonNull;

/**
 * A {@link PeerCheck} as JSSE asks it. Being an {@link X509ExtendedTrustManager}, it is also what
 * would check the peer's host name; it does not, on purpose: the certificate's CN is the identity.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final PeerCheck check;

    PeerTrustManager(PeerCheck check) {
        this.check = requireNonNull(check, "check");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check.check(chain, authType, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check.check(chain, authType, false);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /**
     * None named: a client then offers its certificate whatever CA issued it, and this check refuses
     * a foreign one with a clear reason instead of the client silently sending none.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
