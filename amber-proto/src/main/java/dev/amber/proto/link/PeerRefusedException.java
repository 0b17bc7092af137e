package dev.amber.proto.link;

import java.security.cert.CertificateException;

/** The other end of the link presented a certificate this end does not accept; the message says why. */
public final class PeerRefusedException extends CertificateException {

    PeerRefusedException(String message) {
        super(message);
    }

    PeerRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
