package dev.amber.sdk;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.security.NoSuchAlgorithmException;

import static java.util.Objects.requireNonNull;

/**
 * A client of one Amber server, authenticated by one API key. Thread-safe; close it to release its
 * connections.
 *
 * <pre>{@code
 * try (Amber amber = Amber.connect("http://localhost:7070", apiKey);
 *      Sandbox sandbox = amber.sandboxes().create()) {
 *     System.out.println(sandbox.exec("uname", "-a").stdout());
 * }
 * }</pre>
 *
 * Every failure is an unchecked {@link dev.amber.sdk.error.AmberException}.
 */
public final class Amber implements AutoCloseable {

    private final Transport transport;
    private final Sandboxes sandboxes;
    private final Snapshots snapshots;
    private final Templates templates;
    private final Teams teams;
    private final ApiKeys apiKeys;
    private final Hosts hosts;

    private Amber(Transport transport) {
        this.transport = transport;
        this.sandboxes = new Sandboxes(transport);
        this.snapshots = new Snapshots(transport);
        this.templates = new Templates(transport);
        this.teams = new Teams(transport);
        this.apiKeys = new ApiKeys(transport);
        this.hosts = new Hosts(transport);
    }

    /** A client with {@link AmberOptions#defaults()}; {@code url} is the server's root, e.g. {@code http://localhost:7070}. */
    public static Amber connect(String url, String apiKey) {
        return connect(url, apiKey, AmberOptions.defaults());
    }

    public static Amber connect(String url, String apiKey, AmberOptions options) {
        return connect(url, apiKey, options, defaultSslContext());
    }

    /**
     * A client of an {@code https://} server whose certificate the JVM's default trust store does not
     * vouch for (a self-signed one, a private CA): {@code sslContext} trusts it.
     */
    public static Amber connect(String url, String apiKey, SSLContext sslContext) {
        return connect(url, apiKey, AmberOptions.defaults(), sslContext);
    }

    public static Amber connect(String url, String apiKey, AmberOptions options, SSLContext sslContext) {
        requireNonNull(apiKey, "apiKey");
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        return new Amber(new Transport(baseUrl(url), apiKey.strip(), requireNonNull(options, "options"),
                requireNonNull(sslContext, "sslContext")));
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
    }

    public Sandboxes sandboxes() {
        return sandboxes;
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    public Templates templates() {
        return templates;
    }

    public Teams teams() {
        return teams;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public Hosts hosts() {
        return hosts;
    }

    @Override
    public void close() {
        transport.close();
    }

    /** The server's root with any trailing slash removed, so endpoint paths resolve beneath it. */
    static URI baseUrl(String url) {
        requireNonNull(url, "url");
        URI uri;
        try {
            uri = URI.create(url.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: \"" + url + "\"", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the Amber URL must be http:// or https:// with a host, got \"" + url + "\"");
        }
        return uri;
    }
}
