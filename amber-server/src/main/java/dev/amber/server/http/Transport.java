package dev.amber.server.http;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** How the API's one port speaks: plain HTTP, or HTTPS with a certificate and key from PEM files. */
public sealed interface Transport {

    static Transport plain() {
        return new Plain();
    }

    static Transport tls(Path certificateChain, Path privateKey) {
        return new Tls(certificateChain, privateKey);
    }

    /** What URLs of this port start with. */
    String scheme();

    record Plain() implements Transport {
        @Override
        public String scheme() {
            return "http";
        }
    }

    /**
     * @param certificateChain PEM: the server's certificate first, then any intermediates
     * @param privateKey       PEM, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
     */
    record Tls(Path certificateChain, Path privateKey) implements Transport {
        public Tls {
            requireNonNull(certificateChain, "certificateChain");
            requireNonNull(privateKey, "privateKey");
        }

        @Override
        public String scheme() {
            return "https";
        }
    }
}
