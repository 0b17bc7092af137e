package dev.amber.api.team;

import java.time.Instant;

/** A team; {@code quota} and {@code usage} are shown to the team itself ({@code GET /v1/teams/me}), null elsewhere. */
public record TeamView(String id, String name, Instant createdAt, TeamQuota quota, TeamUsage usage) {

    /** A team without its quota and usage: as lists and creations show it. */
    public TeamView(String id, String name, Instant createdAt) {
        this(id, name, createdAt, null, null);
    }
}
