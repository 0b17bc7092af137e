package dev.amber.server;

import dev.amber.server.http.Transport;

import static java.util.Objects.requireNonNull;

/**
 * How the control plane serves: on {@code bindHost:port} (port 0: any free port); {@code portDomain}
 * is the name whose subdomains {@code {port}-{sandboxId}.{portDomain}} reach a sandbox's ports
 * through the server; {@code buildWorkers} template builds run at once; {@code transport} says
 * whether the port speaks HTTP or HTTPS; {@code capacity} what callers may take (default timeout,
 * host overcommit, request rate); {@code privateEgress}: sandbox policies may open private ranges
 * (10/8, 172.16/12, 192.168/16, 100.64/10) in {@code allowOut}.
 */
public record ServerSettings(String bindHost, int port, String portDomain, int buildWorkers, Transport transport,
                             CapacitySettings capacity, boolean privateEgress) {

    public ServerSettings {
        requireNonNull(transport, "transport");
        requireNonNull(capacity, "capacity");
    }

    /** Loopback, any free port, names under localhost, two build workers, plain HTTP, the default capacity settings, no private egress. */
    public static ServerSettings forTests() {
        return new ServerSettings("127.0.0.1", 0, "localhost", 2, Transport.plain(), CapacitySettings.defaults(), false);
    }

    public ServerSettings withBuildWorkers(int value) {
        return new ServerSettings(bindHost, port, portDomain, value, transport, capacity, privateEgress);
    }

    public ServerSettings withCapacity(CapacitySettings value) {
        return new ServerSettings(bindHost, port, portDomain, buildWorkers, transport, value, privateEgress);
    }

    public ServerSettings withTransport(Transport value) {
        return new ServerSettings(bindHost, port, portDomain, buildWorkers, value, capacity, privateEgress);
    }
}
