package dev.amber.sdk;

import dev.amber.api.host.CreateJoinTokenRequest;
import dev.amber.api.host.CreatedJoinToken;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** The machines that run sandboxes: tokens new ones join the cluster with. */
public final class Hosts {

    private final Transport transport;

    Hosts(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    /**
     * A single-use token a platform host joins with within {@code ttl} (admins only); it is in this
     * answer only, so hand it on now.
     */
    public CreatedJoinToken createJoinToken(Duration ttl) {
        return create(Endpoints.PLATFORM_HOST_TOKENS, ttl);
    }

    /** As {@link #createJoinToken}, for a host of the caller's team (the team needs BYOC). */
    public CreatedJoinToken createTeamJoinToken(Duration ttl) {
        return create(Endpoints.TEAM_HOST_TOKENS, ttl);
    }

    private CreatedJoinToken create(String path, Duration ttl) {
        return transport.post(path, new CreateJoinTokenRequest(Math.toIntExact(requireNonNull(ttl, "ttl").toSeconds())),
                CreatedJoinToken.class, transport.options().requestTimeout());
    }
}
