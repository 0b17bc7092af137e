package dev.amber.server.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Sandboxes a host has that the database does not know (no row, or a stopped one), e.g. one whose
 * create the server gave up on while the host finished it. One is due for removal once it has been
 * unknown in every round for at least the grace period: a sandbox being created is recorded before
 * its host is asked, so it can look unknown in one round only (the one that read the database just
 * before the row was written), never for a whole grace period.
 */
final class UnknownSandboxes {

    private final Duration grace;
    /** Per host: when each of its unknown sandboxes was first seen unknown, in the rounds since. */
    private final Map<UUID, Map<String, Instant>> firstSeen = new HashMap<>();

    UnknownSandboxes(Duration grace) {
        this.grace = requireNonNull(grace, "grace");
    }

    /**
     * Records a round's unknown sandboxes of {@code hostId} (those not among them are forgotten)
     * and returns the ones unknown since at least the grace period before {@code now}.
     */
    synchronized List<String> due(UUID hostId, Set<String> unknown, Instant now) {
        Map<String, Instant> seen = firstSeen.computeIfAbsent(hostId, host -> new HashMap<>());
        seen.keySet().retainAll(unknown);
        unknown.forEach(id -> seen.putIfAbsent(id, now));
        return seen.entrySet().stream()
                .filter(entry -> !entry.getValue().plus(grace).isAfter(now))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }
}
