package dev.amber.sdk;

import dev.amber.api.team.TeamView;

import static java.util.Objects.requireNonNull;

/** The team the API key belongs to. */
public final class Teams {

    private final Transport transport;

    Teams(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    public TeamView me() {
        return transport.get(Endpoints.MY_TEAM, Query.empty(), TeamView.class);
    }
}
