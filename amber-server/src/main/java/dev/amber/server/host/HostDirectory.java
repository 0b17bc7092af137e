package dev.amber.server.host;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.host.HostLoad;
import dev.amber.server.Ids;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/**
 * The hosts this server can reach right now ({@code sandbox.Placement} chooses among them). Hosts enter by
 * registering; each registration opens a fresh client and reconciles what the host reports.
 */
public final class HostDirectory implements HostRegistrations, AutoCloseable {

    /** Opens a client to host {@code hostId} at its gRPC address. */
    @FunctionalInterface
    public interface HostConnector {
        HostClient connect(UUID hostId, String address) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger("amber.hosts");

    private final HostRepository hosts;
    private final HostConnector connector;
    private final Map<UUID, HostClient> clients = new ConcurrentHashMap<>();
    private volatile BiConsumer<UUID, HostClient> onRegistered = (id, client) -> { };

    public HostDirectory(HostRepository hosts, HostConnector connector) {
        this.hosts = requireNonNull(hosts, "hosts");
        this.connector = requireNonNull(connector, "connector");
    }

    /**
     * Runs at each (re)registration before the host is offered for work or counted by /ready:
     * the reconciler settles what the host lost (e.g. its VMs, if it restarted) first.
     */
    public void onRegistered(BiConsumer<UUID, HostClient> listener) {
        this.onRegistered = requireNonNull(listener, "listener");
    }

    @Override
    public boolean register(UUID id, String name, String address, HostClient.HostFacts facts,
                            List<HostSandboxes.HostSandbox> sandboxes) throws IOException {
        if (!hosts.update(id, address, facts)) {
            return false;
        }
        HostClient client = connector.connect(id, address);
        onRegistered.accept(id, client);
        HostClient previous = clients.put(id, client);
        if (previous != null) {
            previous.close();
        }
        LOG.log(System.Logger.Level.INFO, "host {0} ({1}) registered at {2} with {3} sandboxes, accelerator {4}",
                name, Ids.HOST.format(id), address, sandboxes.size(), facts.accelerator());
        return true;
    }

    public Optional<HostClient> client(UUID hostId) {
        return Optional.ofNullable(hostId).map(clients::get);
    }

    /** The client of the host a sandbox lives on, or 503 when that host is not connected. */
    public HostClient require(UUID hostId) {
        return client(hostId).orElseThrow(() -> new ApiException(ErrorCode.NO_CAPACITY,
                "the sandbox's host " + Ids.HOST.format(hostId) + " is not connected; try again when it is back"));
    }

    /** A connected host's capacity and load now; empty when it is not connected or does not answer. */
    public Optional<HostLoad> load(UUID hostId) {
        return client(hostId).flatMap(client -> {
            try {
                return Optional.of(client.facts().load());
            } catch (HostException e) {
                LOG.log(System.Logger.Level.WARNING, "host {0} did not report its load: {1}", Ids.HOST.format(hostId),
                        e.getMessage());
                return Optional.empty();
            }
        });
    }

    public List<UUID> connected() {
        return List.copyOf(clients.keySet());
    }

    public void markUnreachable(UUID hostId) {
        hosts.setState(hostId, "unreachable");
    }

    @Override
    public void close() {
        clients.values().forEach(HostClient::close);
        clients.clear();
    }
}
