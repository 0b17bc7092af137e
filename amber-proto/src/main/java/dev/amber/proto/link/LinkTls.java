package dev.amber.proto.link;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS contexts of both ends. The JDK's TLS, not Netty's OpenSSL: with it, a {@link PeerTrustManager}
 * alone decides who is trusted (no host-name check is added behind its back).
 */
final class LinkTls {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3");

    private LinkTls() {}

    static SslContext server(LinkCredentials credentials, PeerCheck clients, ClientAuth clientAuth) {
        SslContextBuilder builder = SslContextBuilder.forServer(credentials.key(), credentials.chain().toArray(X509Certificate[]::new))
                .trustManager(clients.trustManager())
                .clientAuth(clientAuth);
        return build(builder);
    }

    /** {@code credentials}: null for a client that proves nothing (a host joining). */
    static SslContext client(LinkCredentials credentials, PeerCheck server) {
        SslContextBuilder builder = SslContextBuilder.forClient().trustManager(server.trustManager());
        if (credentials != null) {
            builder.keyManager(credentials.key(), credentials.chain().toArray(X509Certificate[]::new));
        }
        return build(builder);
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return GrpcSslContexts.configure(builder, SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the link's TLS: " + e.getMessage(), e);
        }
    }
}
