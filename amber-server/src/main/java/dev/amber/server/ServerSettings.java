package dev.amber.server;

import static java.util.Objects.requireNonNull;

/**
 * How the control plane serves: on {@code bindHost:port} (port 0: any free port); {@code portDomain}
 * is the name whose subdomains {@code {port}-{sandboxId}.{portDomain}} reach a sandbox's ports
 * through the server; {@code buildWorkers} template builds run at once; {@code capacity} what
 * callers may take (default timeout, host overcommit, request rate).
 */
public record ServerSettings(String bindHost, int port, String portDomain, int buildWorkers, CapacitySettings capacity) {

    public ServerSettings {
        requireNonNull(capacity, "capacity");
    }

    /** Loopback, any free port, names under localhost, two build workers, the default capacity settings. */
    public static ServerSettings forTests() {
        return new ServerSettings("127.0.0.1", 0, "localhost", 2, CapacitySettings.defaults());
    }
}
