package dev.amber.host.grpc;

import dev.amber.proto.link.LinkCredentials;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * This host's links to every replica of the control plane, one {@link HostLink} each. Each replica
 * keeps its own view of the hosts, built from their registrations and heartbeats, so the host
 * registers with and reports to each on its own: losing one replica leaves the links to the others
 * alone. A start needs at least one replica; one that is down then is registered with once it is up.
 */
public final class HostLinks implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.host.link");

    private final List<HostLink> links;
    private final String hostId;

    private HostLinks(List<HostLink> links, String hostId) {
        this.links = links;
        this.hostId = hostId;
    }

    /**
     * Registers as {@code name} at {@code address} with each of {@code servers} (host:port of their
     * link ports) as {@code identity}, then keeps every link up.
     *
     * @throws HostRegistration.RefusedException a replica refused this host (one that was removed, say)
     * @throws IOException no replica could be reached; the message has each one's error
     */
    public static HostLinks start(List<String> servers, LinkCredentials identity, HostReport report, String name,
                                  String address, HostLink.Timing timing) throws IOException {
        requireNonNull(identity, "identity");
        requireNonNull(report, "report");
        requireNonNull(timing, "timing");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a host links to at least one server");
        }
        List<HostRegistration> registrations = servers.stream().distinct()
                .map(server -> HostRegistration.connect(server, identity)).toList();
        List<Future<HostLink>> attempts;
        // All at once: a replica that does not answer delays the start by one deadline, not one per replica.
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            attempts = registrations.stream().map(registration -> executor.submit(
                    () -> HostLink.start(registration, report, name, address, timing))).toList();
        }
        List<Throwable> failures = attempts.stream().filter(attempt -> attempt.state() == Future.State.FAILED)
                .map(Future::exceptionNow).toList();
        if (failures.size() == attempts.size() || failures.stream().anyMatch(HostLinks::isFinal)) {
            for (int i = 0; i < attempts.size(); i++) {
                if (attempts.get(i).state() == Future.State.SUCCESS) {
                    attempts.get(i).resultNow().close();
                } else {
                    registrations.get(i).close();
                }
            }
            throw startFailure(failures);
        }
        List<HostLink> links = new ArrayList<>();
        String hostId = null;
        for (int i = 0; i < attempts.size(); i++) {
            Future<HostLink> attempt = attempts.get(i);
            if (attempt.state() == Future.State.SUCCESS) {
                links.add(attempt.resultNow());
                hostId = hostId == null ? attempt.resultNow().hostId() : hostId;
            } else {
                LOG.log(System.Logger.Level.WARNING, "{0}; registering with it in the background",
                        attempt.exceptionNow().getMessage());
                links.add(HostLink.startRegistering(registrations.get(i), report, name, address, timing));
            }
        }
        return new HostLinks(List.copyOf(links), hostId);
    }

    /** A refusal (retrying will not help), or no call's failure at all but a bug. */
    private static boolean isFinal(Throwable failure) {
        return failure instanceof HostRegistration.RefusedException || !(failure instanceof IOException);
    }

    private static IOException startFailure(List<Throwable> failures) {
        for (Throwable failure : failures) {
            if (failure instanceof HostRegistration.RefusedException refused) {
                return refused;
            }
            if (failure instanceof RuntimeException unexpected) {
                throw unexpected;
            }
            if (failure instanceof Error unexpected) {
                throw unexpected;
            }
        }
        if (failures.size() == 1) {
            return (IOException) failures.getFirst();
        }
        IOException none = new IOException("no server could be reached to register with: " + failures.stream()
                .map(Throwable::getMessage).collect(Collectors.joining("; ")));
        failures.forEach(none::addSuppressed);
        return none;
    }

    /** The id the control plane knows this host by: its certificate's, the same at every replica. */
    public String hostId() {
        return hostId;
    }

    /** Stops reporting to every replica (each marks the host unreachable after its timeout). */
    @Override
    public void close() {
        links.forEach(HostLink::close);
    }
}
