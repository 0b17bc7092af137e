package dev.amber.server.port;

import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Host names that address a sandbox's port: {@code {port}-{sandboxId}.{domain}}, e.g.
 * {@code 8000-sb-….localhost}. Browsers need them: a page served under a path prefix would break
 * its own absolute links, under a host name of its own it does not.
 */
final class PortHostNames {

    /** A port of a sandbox, as a host name names it. The port is checked later, after the sandbox. */
    record Address(String portText, String sandboxId) {}

    private final String suffix;

    /** {@code domain}: the DNS name whose subdomains point at this server (AMBER_DOMAIN). */
    PortHostNames(String domain) {
        this.suffix = "." + requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
    }

    /** The sandbox port a Host header names, or empty when it is not such a name (an API request). */
    Optional<Address> parse(String hostHeader) {
        if (hostHeader == null) {
            return Optional.empty();
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        if (!host.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - suffix.length());
        int dash = label.indexOf('-');
        if (dash <= 0 || label.indexOf('.') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new Address(label.substring(0, dash), label.substring(dash + 1)));
    }
}
