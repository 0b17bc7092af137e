package dev.amber.server.sandbox;

import dev.amber.server.auth.Caller;

import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What placement needs to know about a new sandbox: whose it is ({@code admin}: an admin's key, which
 * may pin any host), its size, the host its source's files are on if only one has them
 * ({@code holder}: it can start nowhere else), the hosts it would rather start on, and the host the
 * request named ({@code pinned}).
 */
public record PlacementRequest(UUID teamId, boolean admin, Resources size, Optional<UUID> holder, Locality locality,
                               Optional<UUID> pinned) {

    public PlacementRequest {
        requireNonNull(teamId, "teamId");
        requireNonNull(size, "size");
        requireNonNull(holder, "holder");
        requireNonNull(locality, "locality");
        requireNonNull(pinned, "pinned");
    }

    /** {@code caller}'s new sandbox, as it was built. */
    public static PlacementRequest of(Caller caller, NewSandbox sandbox) {
        return new PlacementRequest(caller.teamId(), caller.admin(), sandbox.resources(), sandbox.source().host(),
                Locality.of(sandbox.source()), sandbox.pinnedHost());
    }

    /** A sandbox of {@code size} for a team's (non-admin) key that any host may start, preferring {@code locality}. */
    public static PlacementRequest anywhere(UUID teamId, Resources size, Locality locality) {
        return new PlacementRequest(teamId, false, size, Optional.empty(), locality, Optional.empty());
    }
}
