package dev.amber.server.http;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * The API's port speaking TLS: HTTP/1.1 inside (what the SDK, the CLI and WebSocket upgrades use).
 * Jetty checks each request's host name against the certificate (SNI), so a sandbox's port reached
 * by host name needs a certificate that covers {@code *.}AMBER_DOMAIN too.
 */
final class HttpsConnector {

    private final KeyStore keyStore;
    private final String password;

    private HttpsConnector(KeyStore keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** Reads the PEM files now, so that a bad certificate or key stops the server before it listens. */
    static HttpsConnector load(Transport.Tls files) throws IOException {
        requireNonNull(files, "files");
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getEncoder().encodeToString(random);
        return new HttpsConnector(PemKeyStore.load(files, password.toCharArray()), password);
    }

    ServerConnector connector(Server server, HttpConfiguration plain, String host, int port) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(password);
        tls.setCertAlias(PemKeyStore.ALIAS);
        HttpConfiguration https = new HttpConfiguration(plain);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
