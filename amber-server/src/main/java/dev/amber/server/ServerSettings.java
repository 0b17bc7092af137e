package dev.amber.server;

/**
 * How the control plane serves: on {@code bindHost:port} (port 0: any free port); {@code portDomain}
 * is the name whose subdomains {@code {port}-{sandboxId}.{portDomain}} reach a sandbox's ports
 * through the server; {@code buildWorkers} template builds run at once; {@code privateEgress}: sandbox
 * policies may open private ranges (10/8, 172.16/12, 192.168/16, 100.64/10) in {@code allowOut}.
 */
public record ServerSettings(String bindHost, int port, String portDomain, int buildWorkers, boolean privateEgress) {

    /** Loopback, any free port, names under localhost, two build workers, no private egress. */
    public static ServerSettings forTests() {
        return new ServerSettings("127.0.0.1", 0, "localhost", 2, false);
    }
}
