package dev.amber.server.sandbox;

import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostView;
import dev.amber.server.host.RestoreCompatibility;
import dev.amber.server.host.SavedPlatform;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What placement needs to know about a new sandbox: whose it is ({@code admin}: an admin's key, which
 * may pin any host), its size, the host its source's files are on if only one has them
 * ({@code holder}: it can start nowhere else), the hosts it would rather start on, the host the
 * request named ({@code pinned}) and, when it restores a saved machine, the platform that was saved on
 * ({@code savedOn}: only hosts that can restore it are chosen; empty when it boots, or is not known).
 */
public record PlacementRequest(UUID teamId, boolean admin, Resources size, Optional<UUID> holder, Locality locality,
                               Optional<UUID> pinned, Optional<SavedPlatform> savedOn) {

    public PlacementRequest {
        requireNonNull(teamId, "teamId");
        requireNonNull(size, "size");
        requireNonNull(holder, "holder");
        requireNonNull(locality, "locality");
        requireNonNull(pinned, "pinned");
        requireNonNull(savedOn, "savedOn");
    }

    /**
     * What {@code host} lacks to restore the saved machine this sandbox starts from; empty when it can,
     * and when this sandbox restores nothing whose platform is recorded or the host did not report
     * its own (the host checks again and refuses what it cannot restore: 409).
     */
    List<String> lackedBy(HostView host) {
        return savedOn.flatMap(saved -> host.platform().map(offered -> RestoreCompatibility.mismatches(saved, offered)))
                .orElse(List.of());
    }

    /** Whether {@code host} can restore the saved machine this sandbox starts from, as far as the server knows. */
    boolean restorableOn(HostView host) {
        return lackedBy(host).isEmpty();
    }

    /** {@code caller}'s new sandbox, as it was built. */
    public static PlacementRequest of(Caller caller, NewSandbox sandbox) {
        return new PlacementRequest(caller.teamId(), caller.admin(), sandbox.resources(), sandbox.source().host(),
                Locality.of(sandbox.source()), sandbox.pinnedHost(),
                sandbox.source().restorePoint().flatMap(RestorePoint::platform));
    }

    /**
     * A sandbox of {@code size} for a team's (non-admin) key that any host may start (that can restore
     * what was saved on {@code savedOn}), preferring {@code locality}.
     */
    public static PlacementRequest anywhere(UUID teamId, Resources size, Locality locality,
                                            Optional<SavedPlatform> savedOn) {
        return new PlacementRequest(teamId, false, size, Optional.empty(), locality, Optional.empty(), savedOn);
    }
}
