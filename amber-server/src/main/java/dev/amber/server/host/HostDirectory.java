package dev.amber.server.host;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.host.HostLoad;
import dev.amber.server.Ids;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/**
 * The hosts registered with this server process, in memory: each one's client, state and newest
 * heartbeat ({@code sandbox.Placement} chooses among them without calling any). Hosts enter by
 * registering; each registration opens a fresh client and reconciles what the host reports. A host
 * not heard from for the timeout is unreachable: its client is not handed out (calls fail at once),
 * its heartbeats are answered "unknown" so that it registers again, which makes it ready (or
 * draining) and reconciles it. With several server replicas, each host registers with each, and
 * each replica's directory is its own; an admin's drain or removal made through another replica
 * reaches this one from the hosts' rows at the next sweep.
 */
public final class HostDirectory implements HostRegistrations, AutoCloseable {

    /** Opens a client to host {@code hostId} at its gRPC address. */
    @FunctionalInterface
    public interface HostConnector {
        HostClient connect(UUID hostId, String address) throws IOException;
    }

    /** How often a heartbeat also refreshes {@code hosts.last_seen_at}: memory has the newest, the row only needs to be recent. */
    private static final Duration PERSIST_EVERY = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger("amber.hosts");

    /** A registered host: its client, row facts and what it last said. */
    private record Registered(HostClient client, UUID teamId, boolean drained, boolean reachable,
                              HostHeartbeat heartbeat, Instant persistedAt) {

        HostState state() {
            return !reachable ? HostState.UNREACHABLE : drained ? HostState.DRAINING : HostState.READY;
        }

        Registered heard(HostHeartbeat newest, Instant persisted) {
            return new Registered(client, teamId, drained, reachable, newest, persisted);
        }

        Registered unreachable() {
            return new Registered(client, teamId, drained, false, heartbeat, persistedAt);
        }

        Registered draining() {
            return new Registered(client, teamId, true, reachable, heartbeat, persistedAt);
        }
    }

    private final HostRepository hosts;
    private final HostConnector connector;
    private final Duration timeout;
    private final Map<UUID, Registered> registered = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("host-sweeper").factory());
    private volatile BiConsumer<UUID, HostClient> onRegistered = (id, client) -> { };

    /** {@code timeout}: how long a host may stay silent before it is unreachable. */
    public HostDirectory(HostRepository hosts, HostConnector connector, Duration timeout) {
        this.hosts = requireNonNull(hosts, "hosts");
        this.connector = requireNonNull(connector, "connector");
        this.timeout = requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the host timeout must be positive, got " + timeout);
        }
    }

    /** Marks silent hosts unreachable every {@code period}, from now on. */
    public void startSweeping(Duration period) {
        sweeper.scheduleWithFixedDelay(() -> {
            sweep(Instant.now());
            followRows();
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes drains and removals that another replica recorded. It never throws: a failed round must not end the schedule. */
    private void followRows() {
        try {
            for (HostRepository.HostRow row : hosts.rows()) {
                if (row.state() == HostState.REMOVED) {
                    removed(row.id());
                } else if (row.drained()) {
                    drained(row.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read the hosts'' rows: {0}", e.getMessage());
        }
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
        Optional<HostRepository.HostRow> found = hosts.register(id, address, facts);
        if (found.isEmpty()) {
            return false;
        }
        HostRepository.HostRow row = found.get();
        String hostId = Ids.HOST.format(id);
        if (row.state() == HostState.REMOVED) {
            throw new RegistrationRefusedException("host " + name + " (" + hostId + ") was removed by an admin and may not "
                    + "register again; join it as a new host");
        }
        HostClient client = connector.connect(id, address);
        onRegistered.accept(id, client);
        Instant now = Instant.now();
        HostHeartbeat first = new HostHeartbeat(facts.load(), sandboxes.size(), "", Set.of(), facts.platform(), now);
        Registered previous = registered.put(id, new Registered(client, row.teamId(), row.drained(), true, first, now));
        if (previous != null) {
            previous.client().close();
        }
        LOG.log(System.Logger.Level.INFO, "host {0} ({1}) registered at {2} with {3} sandboxes, accelerator {4}, {5}",
                name, hostId, address, sandboxes.size(), facts.accelerator(), row.drained() ? "draining" : "ready");
        return true;
    }

    @Override
    public boolean heartbeat(UUID hostId, HostHeartbeat heartbeat) {
        requireNonNull(heartbeat, "heartbeat");
        boolean[] persist = {false};
        Registered now = registered.computeIfPresent(hostId, (id, host) -> {
            if (!host.reachable()) {
                return host;
            }
            boolean due = host.persistedAt().plus(PERSIST_EVERY).isBefore(heartbeat.receivedAt());
            persist[0] = due;
            return host.heard(heartbeat, due ? heartbeat.receivedAt() : host.persistedAt());
        });
        if (persist[0]) {
            hosts.touch(hostId);
        }
        return now != null && now.reachable();
    }

    /** Marks every host silent for longer than the timeout at {@code now} unreachable. */
    public void sweep(Instant now) {
        Instant silentSince = now.minus(timeout);
        registered.forEach((id, host) -> {
            if (host.reachable() && host.heartbeat().receivedAt().isBefore(silentSince)) {
                markUnreachable(id, "no heartbeat for " + timeout.toSeconds() + " s");
            }
        });
    }

    /** The host fell silent: no calls go to it until it registers again. */
    private void markUnreachable(UUID hostId, String why) {
        Registered before = registered.get(hostId);
        if (before == null || !before.reachable() || !registered.replace(hostId, before, before.unreachable())) {
            return;
        }
        hosts.setState(hostId, HostState.UNREACHABLE);
        LOG.log(System.Logger.Level.WARNING, "host {0} is unreachable ({1}); its sandboxes wait for it to register again",
                Ids.HOST.format(hostId), why);
    }

    /** The client of a reachable registered host. */
    public Optional<HostClient> client(UUID hostId) {
        return Optional.ofNullable(hostId).map(registered::get).filter(Registered::reachable).map(Registered::client);
    }

    /** The client of the host a sandbox lives on, or 503 at once when that host is unreachable or not connected. */
    public HostClient require(UUID hostId) {
        return client(hostId).orElseThrow(() -> new ApiException(ErrorCode.NO_CAPACITY, "the sandbox's host "
                + Ids.HOST.format(hostId) + " is unreachable; try again when it is back (hostUnreachable shows it)"));
    }

    /** Whether the host is registered with this server and heard from within the timeout. */
    public boolean reachable(UUID hostId) {
        return client(hostId).isPresent();
    }

    /** A reachable host's capacity and load as its newest heartbeat (or registration) said. */
    public Optional<HostLoad> load(UUID hostId) {
        return Optional.ofNullable(hostId).map(registered::get).filter(Registered::reachable)
                .map(host -> host.heartbeat().load());
    }

    /** What this server process sees of the host: empty when it never registered here. */
    public Optional<HostState> state(UUID hostId) {
        return Optional.ofNullable(registered.get(hostId)).map(Registered::state);
    }

    /** The newest heartbeat (or registration) of a registered host, reachable or not. */
    public Optional<HostHeartbeat> newestHeartbeat(UUID hostId) {
        return Optional.ofNullable(registered.get(hostId)).map(Registered::heartbeat);
    }

    /** The reachable hosts, whatever their state (a draining one still serves its sandboxes). */
    public List<UUID> connected() {
        return registered.entrySet().stream().filter(entry -> entry.getValue().reachable()).map(Map.Entry::getKey)
                .toList();
    }

    /** Every registered host as placement sees it; only {@link HostState#READY} ones take new sandboxes. */
    public List<HostView> hosts() {
        return registered.entrySet().stream().map(entry -> {
            Registered host = entry.getValue();
            return new HostView(entry.getKey(), host.state(), host.teamId(), Optional.of(host.heartbeat().load()),
                    host.heartbeat().bases(), host.heartbeat().platform());
        }).toList();
    }

    /** Records an admin's drain of a registered host (the row says it already). */
    public void drained(UUID hostId) {
        registered.computeIfPresent(hostId, (id, host) -> host.draining());
    }

    /** Forgets a removed host and closes its client. */
    public void removed(UUID hostId) {
        Registered gone = registered.remove(hostId);
        if (gone != null) {
            gone.client().close();
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        registered.values().forEach(host -> host.client().close());
        registered.clear();
    }
}
