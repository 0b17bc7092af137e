package dev.amber.server;

import dev.amber.server.http.Transport;
import dev.amber.store.StoreSettings;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How the control plane serves: on {@code bindHost:port} (port 0: any free port); {@code portDomain}
 * is the name whose subdomains {@code {port}-{sandboxId}.{portDomain}} reach a sandbox's ports
 * through the server; {@code buildWorkers} template builds run at once; {@code transport} says
 * whether the port speaks HTTP or HTTPS; {@code capacity} what callers may take (default timeout,
 * host overcommit, request rate); {@code privateEgress}: sandbox policies may open private ranges
 * (10/8, 172.16/12, 192.168/16, 100.64/10) in {@code allowOut}; {@code hostTimeout}: how long a host
 * may miss heartbeats before it is unreachable; {@code store}: the object store that snapshots and
 * paused sandboxes are copied to (none: they stay on their host only); {@code history}: how long
 * a stopped sandbox stays listed ({@code ?state=stopped}) before its row is pruned.
 */
public record ServerSettings(String bindHost, int port, String portDomain, int buildWorkers, Transport transport,
                             CapacitySettings capacity, boolean privateEgress, Duration hostTimeout,
                             Optional<StoreSettings> store, Duration history) {

    /** A host that sent no heartbeat (every 2 s) for this long is unreachable. */
    public static final Duration DEFAULT_HOST_TIMEOUT = Duration.ofSeconds(10);
    /** Stopped sandboxes are listed, then pruned, after a week. */
    public static final Duration DEFAULT_HISTORY = Duration.ofDays(7);

    public ServerSettings {
        requireNonNull(transport, "transport");
        requireNonNull(capacity, "capacity");
        requireNonNull(hostTimeout, "hostTimeout");
        requireNonNull(store, "store");
        requireNonNull(history, "history");
    }

    /** Loopback, any free port, names under localhost, two build workers, plain HTTP, the default capacity settings, no private egress. */
    public static ServerSettings forTests() {
        return new ServerSettings("127.0.0.1", 0, "localhost", 2, Transport.plain(), CapacitySettings.defaults(), false,
                DEFAULT_HOST_TIMEOUT, Optional.empty(), DEFAULT_HISTORY);
    }

    public ServerSettings withBuildWorkers(int value) {
        return new ServerSettings(bindHost, port, portDomain, value, transport, capacity, privateEgress,
                hostTimeout, store, history);
    }

    public ServerSettings withCapacity(CapacitySettings value) {
        return new ServerSettings(bindHost, port, portDomain, buildWorkers, transport, value, privateEgress,
                hostTimeout, store, history);
    }

    public ServerSettings withHostTimeout(Duration value) {
        return new ServerSettings(bindHost, port, portDomain, buildWorkers, transport, capacity, privateEgress,
                value, store, history);
    }

    public ServerSettings withStore(StoreSettings value) {
        return new ServerSettings(bindHost, port, portDomain, buildWorkers, transport, capacity, privateEgress, hostTimeout,
                Optional.of(value), history);
    }

    public ServerSettings withTransport(Transport value) {
        return new ServerSettings(bindHost, port, portDomain, buildWorkers, value, capacity, privateEgress,
                hostTimeout, store, history);
    }
}
