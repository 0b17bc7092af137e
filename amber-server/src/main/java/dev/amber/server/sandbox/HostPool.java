package dev.amber.server.sandbox;

import dev.amber.server.host.BaseSize;
import dev.amber.server.host.HostView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Every host placement may choose from at one moment, indexed so that a decision reaches the hosts it
 * wants (by id, by what they hold, by team) without walking all of them, and the load placed on each,
 * asked only for the hosts a decision looks at.
 */
public final class HostPool {

    private final List<HostView> hosts;
    private final Function<UUID, PlacedLoad> placed;
    private final Map<UUID, HostView> byId = new HashMap<>();
    private final Map<BaseSize, List<HostView>> byBase = new HashMap<>();
    private final Map<UUID, List<HostView>> byTeam = new HashMap<>();

    /** {@code placed}: what is placed on a host (not asked for hosts no decision looks at). */
    public HostPool(List<HostView> hosts, Function<UUID, PlacedLoad> placed) {
        this.hosts = List.copyOf(hosts);
        this.placed = requireNonNull(placed, "placed");
        for (HostView host : this.hosts) {
            byId.put(host.id(), host);
            host.bases().forEach(base -> byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(host));
            if (host.teamId() != null) {
                byTeam.computeIfAbsent(host.teamId(), t -> new ArrayList<>()).add(host);
            }
        }
    }

    public int size() {
        return hosts.size();
    }

    HostView get(int index) {
        return hosts.get(index);
    }

    List<HostView> all() {
        return hosts;
    }

    Optional<HostView> find(UUID hostId) {
        return Optional.ofNullable(byId.get(hostId));
    }

    /** The hosts that hold what {@code locality} names. */
    List<HostView> holders(Locality locality) {
        return switch (locality) {
            case Locality.BaseSnapshot base -> byBase.getOrDefault(base.size(), List.of());
            case Locality.HeldBy held -> held.hosts().stream().map(byId::get).filter(Objects::nonNull).toList();
        };
    }

    /** The hosts {@code teamId} brought (none for a team without its own). */
    List<HostView> ownedBy(UUID teamId) {
        return byTeam.getOrDefault(teamId, List.of());
    }

    Candidate candidate(HostView host) {
        return new Candidate(host, placed.apply(host.id()));
    }

    /** A host with what is placed on it: what placement filters and scores. */
    public record Candidate(HostView host, PlacedLoad placed) {}
}
