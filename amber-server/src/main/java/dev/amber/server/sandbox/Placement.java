package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.host.HostDirectory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Chooses the host of a new sandbox. One that starts from files only one host has (a snapshot, a
 * template's layer or image) goes to that host; any other to the connected host with the fewest
 * active sandboxes.
 */
public final class Placement {

    /** A connected host and how many sandboxes are active on it. */
    public record Candidate(UUID hostId, int activeSandboxes) {
        public Candidate {
            requireNonNull(hostId, "hostId");
        }
    }

    private final Supplier<List<Candidate>> candidates;

    /** {@code candidates}: the hosts connected at the moment it is asked, with their counts. */
    public Placement(Supplier<List<Candidate>> candidates) {
        this.candidates = requireNonNull(candidates, "candidates");
    }

    /** Placement among the connected hosts of {@code hosts}, counting the sandboxes recorded active on each. */
    public static Placement onConnectedHosts(HostDirectory hosts, SandboxRepository sandboxes) {
        requireNonNull(hosts, "hosts");
        requireNonNull(sandboxes, "sandboxes");
        return new Placement(() -> hosts.connected().stream()
                .map(host -> new Candidate(host, sandboxes.activeOnHost(host).size()))
                .toList());
    }

    /**
     * The host for a new sandbox: {@code holder} when its source's files are on that host (empty
     * when any host can start it), else the least loaded connected host; 503 when none is connected.
     */
    public UUID hostFor(Optional<UUID> holder) {
        return holder.orElseGet(this::leastLoaded);
    }

    private UUID leastLoaded() {
        return candidates.get().stream()
                .min(Comparator.comparingInt(Candidate::activeSandboxes))
                .map(Candidate::hostId)
                .orElseThrow(() -> new ApiException(ErrorCode.NO_CAPACITY,
                        "no host is available to run sandboxes; start one (./amber up starts a local host)"));
    }
}
